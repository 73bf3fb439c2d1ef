package org.cohesionbarometer.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.cohesionbarometer.schemas.FieldProblem;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.Kiosk;
import org.cohesionbarometer.schemas.reference.Neighbourhood;
import org.cohesionbarometer.schemas.reference.OrganiserToken;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;

/**
 * Who may do what: the admin token (from the environment) and organisers' tokens (their hashes
 * followed from Kafka by the catalog), and each organiser's scope — the activities and kiosks
 * registered under its organiser id.
 */
final class Access {
    private final String adminTokenSha256;
    private final ReferenceCatalog catalog;

    Access(String adminToken, ReferenceCatalog catalog) {
        this.adminTokenSha256 = adminToken.isBlank() ? null : ApiToken.sha256(adminToken);
        this.catalog = catalog;
    }

    /** The caller an {@code Authorization} header names, if its token is known and not revoked. */
    Optional<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String presented = authorization.substring(7).trim();
        if (adminTokenSha256 != null && MessageDigest.isEqual(ApiToken.sha256(presented).getBytes(StandardCharsets.US_ASCII),
                adminTokenSha256.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(new Caller.Admin());
        }
        return ApiToken.parse(presented)
                .flatMap(token -> catalog.token(token.tokenId())
                        .filter(stored -> stored.getRevokedAt() == null && token.matches(stored.getSecretSha256()))
                        .map(stored -> new Caller.Organiser(stored.getOrganiserId(), stored.getTokenId())));
    }

    /**
     * Whether the header presents a real organiser token that has been revoked: its secret matches,
     * so only its holder learns that it was revoked (rather than unknown), and can ask for a new one.
     */
    boolean isRevoked(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return ApiToken.parse(authorization.substring(7).trim())
                .flatMap(token -> catalog.token(token.tokenId())
                        .filter(stored -> stored.getRevokedAt() != null && token.matches(stored.getSecretSha256())))
                .isPresent();
    }

    /** Why the caller may not write this signal; empty when it may. */
    Optional<FieldProblem> refusal(Caller caller, SpecificRecord signal) {
        if (!(caller instanceof Caller.Organiser organiser)) {
            return Optional.empty();
        }
        if (signal instanceof CheckIn c) {
            return foreignActivity(organiser, c.getActivityId());
        }
        if (signal instanceof MixingContact m) {
            return foreignActivity(organiser, m.getActivityId());
        }
        if (signal instanceof SentimentTap t) {
            return catalog.kiosk(t.getKioskId()).map(Kiosk::getOrganiserId)
                    .filter(owner -> !owner.equals(organiser.organiserId()))
                    .map(owner -> new FieldProblem("kioskId", t.getKioskId(),
                            "forbidden: this kiosk belongs to another organiser; your token writes for '"
                                    + organiser.organiserId() + "' only"))
                    .or(() -> catalog.kiosk(t.getKioskId()).flatMap(k -> foreignCity(organiser, "kioskId", t.getKioskId(),
                            k.getNeighbourhoodId(), "kiosk")));
        }
        return Optional.empty();
    }

    private Optional<FieldProblem> foreignActivity(Caller.Organiser organiser, String activityId) {
        return catalog.activity(activityId).map(Activity::getOrganiserId)
                .filter(owner -> !owner.equals(organiser.organiserId()))
                .map(owner -> new FieldProblem("activityId", activityId,
                        "forbidden: this activity belongs to another organiser; your token writes for '"
                                + organiser.organiserId() + "' only"))
                .or(() -> catalog.activity(activityId).flatMap(a -> foreignCity(organiser, "activityId", activityId,
                        a.getNeighbourhoodId(), "activity")));
    }

    /** A token issued for a city writes only there: an activity or kiosk in a neighbourhood of another city is refused. */
    private Optional<FieldProblem> foreignCity(Caller.Organiser organiser, String field, String id, String neighbourhood,
                                               String what) {
        String tokenCity = catalog.token(organiser.tokenId()).map(OrganiserToken::getCity).orElse(null);
        String city = catalog.neighbourhood(neighbourhood).map(Neighbourhood::getCity).orElse(null);
        if (tokenCity == null || city == null || tokenCity.equals(city)) {
            return Optional.empty();
        }
        return Optional.of(new FieldProblem(field, id, "forbidden: this " + what + " is in " + city
                + "; your token writes for '" + organiser.organiserId() + "' in " + tokenCity + " only"));
    }
}
