package org.cohesionbarometer.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.cohesionbarometer.schemas.FieldProblem;
import org.cohesionbarometer.schemas.SignalKey;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.BackgroundGroup;
import org.cohesionbarometer.schemas.reference.City;
import org.cohesionbarometer.schemas.reference.ActivityType;
import org.cohesionbarometer.schemas.reference.Kiosk;
import org.cohesionbarometer.schemas.reference.Neighbourhood;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;
import org.cohesionbarometer.schemas.signal.SignalSource;

/** Turns JSON records from organisers into Avro signals, or into the exact list of what is wrong. */
public final class SignalReader {

    /** A record read: either the signal, or the problems that keep it out. */
    public record Read<T extends SpecificRecord>(T record, String eventId, List<FieldProblem> problems) {
        public boolean isValid() {
            return problems.isEmpty();
        }

        /** The Kafka key, as {@link SignalKey} decides for every signal. */
        public String partitionKey() {
            return SignalKey.of(record);
        }

        /** The event time of a signal, in epoch milliseconds; null for reference data. */
        public Long eventTime() {
            return record != null && record.getSchema().getField("eventTime") != null
                    ? ((java.time.Instant) record.get(record.getSchema().getField("eventTime").pos())).toEpochMilli()
                    : null;
        }
    }

    static final Set<String> CHECK_IN_FIELDS = Set.of("eventId", "eventTime", "activityId", "participantToken",
            "groupCode", "headcount", "source");
    static final Set<String> MIXING_CONTACT_FIELDS = Set.of("eventId", "eventTime", "activityId",
            "participantTokenA", "groupCodeA", "participantTokenB", "groupCodeB", "source");
    static final Set<String> SENTIMENT_TAP_FIELDS = Set.of("eventId", "eventTime", "kioskId", "questionCode",
            "scale", "level");

    private final ReferenceCatalog catalog;
    private final IngestSettings settings;
    private final Clock clock;

    public SignalReader(ReferenceCatalog catalog, IngestSettings settings, Clock clock) {
        this.catalog = catalog;
        this.settings = settings;
        this.clock = clock;
    }

    private Instant earliest() {
        return clock.instant().minus(settings.maxAge());
    }

    private Instant latest() {
        return clock.instant().plus(settings.maxClockSkew());
    }

    public Read<CheckIn> checkIn(JsonNode json) {
        RecordReader in = new RecordReader(json, CHECK_IN_FIELDS);
        if (!json.isObject()) {
            return new Read<>(null, null, in.problems());
        }
        UUID eventId = in.uuid("eventId");
        Instant eventTime = in.instant("eventTime", earliest(), latest());
        String activityId = knownActivity(in, "activityId");
        String token = in.optionalToken("participantToken");
        String group = knownGroup(in, "groupCode");
        int headcount = in.integer("headcount", 1, 1, 1000);
        SignalSource source = in.enumeration("source", SignalSource.class, SignalSource.APP);
        if (!in.isValid()) {
            return new Read<>(null, eventId == null ? null : eventId.toString(), in.problems());
        }
        return new Read<>(CheckIn.newBuilder().setEventId(eventId).setEventTime(eventTime).setActivityId(activityId)
                .setParticipantToken(token).setGroupCode(group).setHeadcount(headcount).setSource(source).build(),
                eventId.toString(), List.of());
    }

    public Read<MixingContact> mixingContact(JsonNode json) {
        RecordReader in = new RecordReader(json, MIXING_CONTACT_FIELDS);
        if (!json.isObject()) {
            return new Read<>(null, null, in.problems());
        }
        UUID eventId = in.uuid("eventId");
        Instant eventTime = in.instant("eventTime", earliest(), latest());
        String activityId = knownActivity(in, "activityId");
        String tokenA = in.optionalToken("participantTokenA");
        String groupA = knownGroup(in, "groupCodeA");
        String tokenB = in.optionalToken("participantTokenB");
        String groupB = knownGroup(in, "groupCodeB");
        SignalSource source = in.enumeration("source", SignalSource.class, SignalSource.APP);
        if (tokenA != null && tokenA.equals(tokenB)) {
            in.refuse("participantTokenB", "(not echoed)", "the same participant as participantTokenA: a contact needs two people");
        }
        if (!in.isValid()) {
            return new Read<>(null, eventId == null ? null : eventId.toString(), in.problems());
        }
        return new Read<>(MixingContact.newBuilder().setEventId(eventId).setEventTime(eventTime)
                .setActivityId(activityId).setParticipantTokenA(tokenA).setGroupCodeA(groupA)
                .setParticipantTokenB(tokenB).setGroupCodeB(groupB).setSource(source).build(),
                eventId.toString(), List.of());
    }

    public Read<SentimentTap> sentimentTap(JsonNode json) {
        RecordReader in = new RecordReader(json, SENTIMENT_TAP_FIELDS);
        if (!json.isObject()) {
            return new Read<>(null, null, in.problems());
        }
        UUID eventId = in.uuid("eventId");
        Instant eventTime = in.instant("eventTime", earliest(), latest());
        String kioskId = in.requiredCode("kioskId");
        if (kioskId != null && catalog.kiosk(kioskId).isEmpty()) {
            in.refuse("kioskId", kioskId, "unknown kiosk: ask the city's admin to register kiosk '" + kioskId
                    + "' (PUT /v1/kiosks/" + kioskId + ")");
        }
        String question = in.requiredCode("questionCode");
        int scale = in.requiredInteger("scale", 3, 5);
        int level = in.requiredInteger("level", 1, 5);
        if (scale >= 3 && level > scale && level <= 5) {
            in.refuse("level", String.valueOf(level), "out of range: a " + scale + "-button scale has levels 1 to " + scale);
        }
        if (!in.isValid()) {
            return new Read<>(null, eventId == null ? null : eventId.toString(), in.problems());
        }
        return new Read<>(SentimentTap.newBuilder().setEventId(eventId).setEventTime(eventTime).setKioskId(kioskId)
                .setQuestionCode(question).setScale(scale).setLevel(level).build(), eventId.toString(), List.of());
    }

    private String knownGroup(RecordReader in, String field) {
        String code = in.optionalCode(field);
        if (code != null && !catalog.knowsGroup(code)) {
            in.refuse(field, code, "unknown group code: not in the city's taxonomy (GET /v1/groups)");
        }
        return code;
    }

    private String knownActivity(RecordReader in, String field) {
        String id = in.requiredCode(field);
        if (id != null && catalog.activity(id).isEmpty()) {
            in.refuse(field, id, "unknown activity: ask the city's admin to register activity '" + id
                    + "' (PUT /v1/activities/" + id + ")");
        }
        return id;
    }

    // Reference data (admin) ------------------------------------------------------------------

    public Read<Neighbourhood> neighbourhood(String id, JsonNode json) {
        RecordReader in = new RecordReader(json, Set.of("name", "city", "centroidLat", "centroidLon", "population"));
        if (!json.isObject()) {
            return new Read<>(null, id, in.problems());
        }
        in.code("id", id);
        String name = text(in, json, "name");
        String city = text(in, json, "city");
        Double lat = coordinate(in, json, "centroidLat", 90);
        Double lon = coordinate(in, json, "centroidLon", 180);
        Long population = in.optionalWholeNumber("population", 0, 100_000_000L);
        if (!in.isValid()) {
            return new Read<>(null, id, in.problems());
        }
        return new Read<>(Neighbourhood.newBuilder().setId(id).setName(name).setCity(city).setCentroidLat(lat)
                .setCentroidLon(lon).setPopulation(population).build(), id, List.of());
    }

    public Read<Activity> activity(String id, JsonNode json) {
        RecordReader in = new RecordReader(json, Set.of("title", "type", "neighbourhoodId", "organiserId",
                "startsAt", "endsAt", "recurrence"));
        if (!json.isObject()) {
            return new Read<>(null, id, in.problems());
        }
        in.code("id", id);
        String title = text(in, json, "title");
        ActivityType type = in.enumeration("type", ActivityType.class, ActivityType.OTHER);
        String hood = in.requiredCode("neighbourhoodId");
        if (hood != null && catalog.neighbourhood(hood).isEmpty()) {
            in.refuse("neighbourhoodId", hood, "unknown neighbourhood: register it first (PUT /v1/neighbourhoods/{id})");
        }
        String organiser = in.requiredCode("organiserId");
        Instant startsAt = in.instant("startsAt", Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));
        Instant endsAt = json.hasNonNull("endsAt")
                ? in.instant("endsAt", Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z")) : null;
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            in.refuse("endsAt", endsAt.toString(), "must be after startsAt");
        }
        String recurrence = json.hasNonNull("recurrence") ? json.get("recurrence").asText() : null;
        if (!in.isValid()) {
            return new Read<>(null, id, in.problems());
        }
        return new Read<>(Activity.newBuilder().setId(id).setTitle(title).setType(type).setNeighbourhoodId(hood)
                .setOrganiserId(organiser).setStartsAt(startsAt).setEndsAt(endsAt).setRecurrence(recurrence).build(),
                id, List.of());
    }

    public Read<Kiosk> kiosk(String id, JsonNode json) {
        RecordReader in = new RecordReader(json, Set.of("neighbourhoodId", "organiserId", "activityId", "location",
                "lat", "lon"));
        if (!json.isObject()) {
            return new Read<>(null, id, in.problems());
        }
        in.code("id", id);
        String hood = in.requiredCode("neighbourhoodId");
        if (hood != null && catalog.neighbourhood(hood).isEmpty()) {
            in.refuse("neighbourhoodId", hood, "unknown neighbourhood: register it first (PUT /v1/neighbourhoods/{id})");
        }
        String organiser = in.requiredCode("organiserId");
        String activityId = in.optionalCode("activityId");
        if (activityId != null && catalog.activity(activityId).isEmpty()) {
            in.refuse("activityId", activityId, "unknown activity: register it first (PUT /v1/activities/{id})");
        }
        String location = json.hasNonNull("location") ? json.get("location").asText() : null;
        Double lat = coordinate(in, json, "lat", 90);
        Double lon = coordinate(in, json, "lon", 180);
        if (!in.isValid()) {
            return new Read<>(null, id, in.problems());
        }
        return new Read<>(Kiosk.newBuilder().setId(id).setNeighbourhoodId(hood).setOrganiserId(organiser)
                .setActivityId(activityId).setLocation(location).setLat(lat).setLon(lon).build(), id, List.of());
    }

    public Read<BackgroundGroup> group(String code, JsonNode json) {
        RecordReader in = new RecordReader(json, Set.of("label"));
        if (!json.isObject()) {
            return new Read<>(null, code, in.problems());
        }
        in.code("id", code);
        String label = text(in, json, "label");
        if (!in.isValid()) {
            return new Read<>(null, code, in.problems());
        }
        return new Read<>(new BackgroundGroup(code, label), code, List.of());
    }

    /**
     * A city the barometer serves, keyed by its name as its neighbourhoods give it, and whether it
     * takes part in the network comparison ({@code inNetwork}: true or false, default false).
     */
    public Read<City> city(String id, JsonNode json) {
        RecordReader in = new RecordReader(json, Set.of("name", "inNetwork"));
        if (!json.isObject()) {
            return new Read<>(null, id, in.problems());
        }
        if (id.isBlank() || id.length() > MAX_TEXT || !id.equals(id.trim())) {
            in.refuse("id", RecordReader.abbreviate(id), "not a city's name: at most " + MAX_TEXT
                    + " characters, without spaces around it, as the neighbourhoods' city field gives it");
        }
        String name = json.hasNonNull("name") ? text(in, json, "name") : id.trim();
        JsonNode flag = json.get("inNetwork");
        boolean inNetwork = false;
        if (flag != null && !flag.isNull()) {
            if (flag.isBoolean()) {
                inNetwork = flag.booleanValue();
            } else if (flag.isTextual() && flag.asText().matches("(?i)true|false")) { // a CSV cell
                inNetwork = Boolean.parseBoolean(flag.asText());
            } else {
                in.refuse("inNetwork", RecordReader.abbreviate(flag.asText()), "not true or false");
            }
        }
        if (!in.isValid()) {
            return new Read<>(null, id, in.problems());
        }
        return new Read<>(new City(id, name, inNetwork), id, List.of());
    }

    /** The longest name, title or city: longer is not a name but a payload. */
    static final int MAX_TEXT = 200;

    private static String text(RecordReader in, JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            in.refuse(field, null, "missing: this field is required");
            return null;
        }
        if (!value.isTextual() || value.asText().trim().length() > MAX_TEXT) {
            in.refuse(field, RecordReader.abbreviate(value.asText()), "not a text of at most " + MAX_TEXT + " characters");
            return null;
        }
        return value.asText().trim();
    }

    private static Double coordinate(RecordReader in, JsonNode json, String field, double limit) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble()) || Math.abs(value.asDouble()) > limit) {
            in.refuse(field, value.toString(), "out of range: a number from -" + (int) limit + " to " + (int) limit);
            return null;
        }
        return value.asDouble();
    }
}
