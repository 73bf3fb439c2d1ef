package org.cohesionbarometer.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.cohesionbarometer.schemas.FieldProblem;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.BackgroundGroup;
import org.cohesionbarometer.schemas.reference.City;
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

    /** What an {@code Authorization} header proves: a caller, or why it proves nothing. */
    sealed interface Verdict {
        /** The token is the admin's or an organiser's valid token. */
        record Authenticated(Caller caller) implements Verdict {
        }

        /**
         * The header proves nothing. {@code reason} is for the log: it names a token by its public
         * id at most, never the secret or what else was presented.
         *
         * @param presented whether a token was presented at all (a guess), rather than none
         * @param revoked   whether it is a real organiser token that was revoked: its secret matches,
         *                  so only its holder learns that it was revoked (rather than unknown)
         */
        record Refused(String reason, boolean presented, boolean revoked) implements Verdict {
        }
    }

    /** Who an {@code Authorization} header names, if its token is known and not revoked; else why not. */
    Verdict verdict(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Verdict.Refused("no token", false, false);
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Verdict.Refused("not a bearer token", true, false);
        }
        String presented = authorization.substring(7).trim();
        if (adminTokenSha256 != null && MessageDigest.isEqual(ApiToken.sha256(presented).getBytes(StandardCharsets.US_ASCII),
                adminTokenSha256.getBytes(StandardCharsets.US_ASCII))) {
            return new Verdict.Authenticated(new Caller.Admin());
        }
        ApiToken token = ApiToken.parse(presented).orElse(null);
        if (token == null) {
            return new Verdict.Refused("neither the admin token nor an organiser token", true, false);
        }
        var stored = catalog.token(token.tokenId()).orElse(null);
        if (stored == null) {
            return new Verdict.Refused("unknown organiser token id " + token.tokenId(), true, false);
        }
        if (!token.matches(stored.getSecretSha256())) {
            return new Verdict.Refused("wrong secret for organiser token id " + token.tokenId(), true, false);
        }
        if (stored.getRevokedAt() != null) {
            return new Verdict.Refused("revoked organiser token id " + token.tokenId(), true, true);
        }
        return new Verdict.Authenticated(new Caller.Organiser(stored.getOrganiserId(), stored.getTokenId()));
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

    // What each caller may read of the reference data --------------------------------------------

    /** Activities: the admin sees all, an organiser its own. */
    List<Activity> activitiesFor(Caller caller) {
        return catalog.activities().stream().filter(a -> owns(caller, a.getOrganiserId())).toList();
    }

    /** Kiosks: the admin sees all, an organiser its own. */
    List<Kiosk> kiosksFor(Caller caller) {
        return catalog.kiosks().stream().filter(k -> owns(caller, k.getOrganiserId())).toList();
    }

    /**
     * Neighbourhoods: the admin sees all; an organiser those its own activities and kiosks are in,
     * which is all its signals are counted in.
     */
    List<Neighbourhood> neighbourhoodsFor(Caller caller) {
        if (caller instanceof Caller.Admin) {
            return catalog.neighbourhoods();
        }
        Set<String> its = new HashSet<>();
        activitiesFor(caller).forEach(a -> its.add(a.getNeighbourhoodId()));
        kiosksFor(caller).forEach(k -> its.add(k.getNeighbourhoodId()));
        return catalog.neighbourhoods().stream().filter(n -> its.contains(n.getId())).toList();
    }

    /**
     * The background groups: everyone with a token sees the whole taxonomy, the codes a check-in
     * may carry; it says nothing about any person, organiser or place.
     */
    List<BackgroundGroup> groupsFor(Caller caller) {
        return catalog.groups();
    }

    /** Every caller sees the cities and which take part in the network comparison: names, no person, organiser or place. */
    List<City> citiesFor(Caller caller) {
        return catalog.cities();
    }

    private static boolean owns(Caller caller, String organiserId) {
        return caller instanceof Caller.Admin
                || caller instanceof Caller.Organiser organiser && organiser.organiserId().equals(organiserId);
    }
}
