package org.cohesionbarometer.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.cohesionbarometer.schemas.DeadLetterHeaders;
import org.cohesionbarometer.schemas.SignalAge;
import org.cohesionbarometer.schemas.SignalKey;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.indicator.ActivityGroupCell;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.cohesionbarometer.schemas.indicator.GroupPairDissimilarity;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.ActivityType;
import org.cohesionbarometer.schemas.reference.Kiosk;
import org.cohesionbarometer.schemas.reference.Neighbourhood;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;
import org.cohesionbarometer.schemas.signal.SignalSource;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CohesionTopologyTest {
    private static final Instant NINE = Instant.parse("2026-03-14T09:00:00Z");
    /** The default grace period: every signal the API accepts is still counted. */
    private static final Duration GRACE = SignalAge.DEFAULT.windowGrace();
    @RegisterExtension
    static final InProcessRegistry registry = new InProcessRegistry();

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Activity> activities;
    private TestInputTopic<String, CheckIn> checkIns;
    private TestInputTopic<String, MixingContact> contacts;
    private TestInputTopic<String, SentimentTap> taps;
    private TestOutputTopic<String, NeighbourhoodIndicators> indicators;
    private TestOutputTopic<String, NeighbourhoodIndicators> activityIndicators;
    private TestOutputTopic<String, CityIndicators> cityDays;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void startTopology() {
        var settings = StreamsSettings.defaults("unused:9092", registry.url(), stateDir);
        var serdes = new RegistrySerdes(registry.url(), true);
        Properties props = settings.toProperties();
        driver = new TopologyTestDriver(CohesionTopology.build(settings, serdes, 1), props);

        var neighbourhoods = driver.createInputTopic(Topics.NEIGHBOURHOODS, Serdes.String().serializer(),
                serdes.of(Neighbourhood.class).serializer());
        neighbourhoods.pipeInput("north", neighbourhood("north", "Riverton"), NINE.minus(Duration.ofDays(30)));
        neighbourhoods.pipeInput("south", neighbourhood("south", "Riverton"), NINE.minus(Duration.ofDays(30)));
        neighbourhoods.pipeInput("lakeshore", neighbourhood("lakeshore", "Lakeside"), NINE.minus(Duration.ofDays(30)));
        activities = driver.createInputTopic(Topics.ACTIVITIES, Serdes.String().serializer(), serdes.of(Activity.class).serializer());
        activities.pipeInput("cafe-north", activity("cafe-north", "north"), NINE.minus(Duration.ofDays(30)));
        activities.pipeInput("garden-north", activity("garden-north", "north"), NINE.minus(Duration.ofDays(30)));
        activities.pipeInput("dinner-south", activity("dinner-south", "south"), NINE.minus(Duration.ofDays(30)));
        activities.pipeInput("choir-lakeshore", activity("choir-lakeshore", "lakeshore"), NINE.minus(Duration.ofDays(30)));
        var kiosks = driver.createInputTopic(Topics.KIOSKS, Serdes.String().serializer(), serdes.of(Kiosk.class).serializer());
        kiosks.pipeInput("kiosk-library", Kiosk.newBuilder().setId("kiosk-library").setNeighbourhoodId("south")
                .setOrganiserId("org-1").build(), NINE.minus(Duration.ofDays(30)));
        kiosks.pipeInput("kiosk-cafe", Kiosk.newBuilder().setId("kiosk-cafe").setNeighbourhoodId("north")
                .setOrganiserId("org-1").setActivityId("cafe-north").build(), NINE.minus(Duration.ofDays(30)));

        checkIns = driver.createInputTopic(Topics.CHECK_INS, Serdes.String().serializer(), serdes.of(CheckIn.class).serializer());
        contacts = driver.createInputTopic(Topics.MIXING_CONTACTS, Serdes.String().serializer(), serdes.of(MixingContact.class).serializer());
        taps = driver.createInputTopic(Topics.SENTIMENT_TAPS, Serdes.String().serializer(), serdes.of(SentimentTap.class).serializer());
        indicators = driver.createOutputTopic(Topics.NEIGHBOURHOOD_INDICATORS, Serdes.String().deserializer(),
                serdes.of(NeighbourhoodIndicators.class).deserializer());
        activityIndicators = driver.createOutputTopic(Topics.ACTIVITY_INDICATORS, Serdes.String().deserializer(),
                serdes.of(NeighbourhoodIndicators.class).deserializer());
        cityDays = driver.createOutputTopic(Topics.CITY_INDICATORS, Serdes.String().deserializer(),
                serdes.of(CityIndicators.class).deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void closeTopology() {
        driver.close();
    }

    private static Neighbourhood neighbourhood(String id, String city) {
        return Neighbourhood.newBuilder().setId(id).setName(id).setCity(city).build();
    }

    /** The latest update of a city's day, keyed as the city-day topic keys it. */
    private Map<String, CityIndicators> latestCityDays() {
        return cityDays.readKeyValuesToList().stream().collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> b));
    }

    private static Activity activity(String id, String neighbourhood) {
        return Activity.newBuilder().setId(id).setTitle(id).setType(ActivityType.LANGUAGE_CAFE)
                .setNeighbourhoodId(neighbourhood).setOrganiserId("org-1").setStartsAt(NINE.minus(Duration.ofDays(10)))
                .build();
    }

    private void checkIn(String activity, String group, Instant at) {
        checkIn(UUID.randomUUID(), activity, group, at);
    }

    private void checkIn(UUID eventId, String activity, String group, Instant at) {
        CheckIn signal = CheckIn.newBuilder().setEventId(eventId).setEventTime(at).setActivityId(activity)
                .setGroupCode(group).setHeadcount(1).setSource(SignalSource.APP).build();
        checkIns.pipeInput(SignalKey.of(signal), signal, at);
        signalsAreSentOn();
    }

    private void checkIn(String activity, String group, String token, Instant at) {
        checkIn(UUID.randomUUID(), activity, group, token, at);
    }

    private void checkIn(UUID eventId, String activity, String group, String token, Instant at) {
        CheckIn signal = CheckIn.newBuilder().setEventId(eventId).setEventTime(at).setActivityId(activity)
                .setGroupCode(group).setParticipantToken(token).setHeadcount(1).setSource(SignalSource.APP).build();
        checkIns.pipeInput(SignalKey.of(signal), signal, at);
        signalsAreSentOn();
    }

    private void contact(String activity, String groupA, String groupB, Instant at) {
        contact(UUID.randomUUID(), activity, groupA, groupB, at);
    }

    private void contact(UUID id, String activity, String groupA, String groupB, Instant at) {
        MixingContact signal = MixingContact.newBuilder().setEventId(id).setEventTime(at)
                .setActivityId(activity).setGroupCodeA(groupA).setGroupCodeB(groupB).setSource(SignalSource.APP).build();
        contacts.pipeInput(SignalKey.of(signal), signal, at);
        signalsAreSentOn();
    }

    private void tap(String kiosk, int level, Instant at) {
        UUID id = UUID.randomUUID();
        SentimentTap signal = SentimentTap.newBuilder().setEventId(id).setEventTime(at).setKioskId(kiosk)
                .setQuestionCode("welcome").setScale(5).setLevel(level).build();
        taps.pipeInput(SignalKey.of(signal), signal, at);
        signalsAreSentOn();
    }

    /** Each partition sends what its signals added to their neighbourhood-hours on at a wall-clock interval. */
    private void signalsAreSentOn() {
        driver.advanceWallClockTime(StreamsSettings.DEFAULT_COMMIT_INTERVAL);
    }

    /** The latest update of every window, as the sink would hold it after upserting them all. */
    private Map<String, NeighbourhoodIndicators> latestWindows() {
        return latest(indicators);
    }

    private static Map<String, NeighbourhoodIndicators> latest(TestOutputTopic<String, NeighbourhoodIndicators> topic) {
        return topic.readKeyValuesToList().stream()
                .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (earlier, later) -> later));
    }

    @Test
    void checkInsAreCountedPerNeighbourhoodAndEventTimeHourWithTheirGroups() {
        checkIn("cafe-north", "G1", NINE.plusSeconds(60));
        checkIn("garden-north", "G2", NINE.plusSeconds(1200));
        checkIn("cafe-north", null, NINE.plusSeconds(3000));
        checkIn("cafe-north", "G1", NINE.plusSeconds(3700)); // next hour
        checkIn("dinner-south", "G1", NINE.plusSeconds(10));

        Map<String, NeighbourhoodIndicators> windows = latestWindows();

        NeighbourhoodIndicators northAtNine = windows.get("north@2026-03-14T09:00:00Z");
        assertThat(northAtNine.getCheckIns()).isEqualTo(3);
        assertThat(northAtNine.getHeadcount()).isEqualTo(3);
        assertThat(northAtNine.getGroupHeadcounts()).isEqualTo(Map.of("G1", 1L, "G2", 1L, "?", 1L));
        assertThat(northAtNine.getWindowStart()).isEqualTo(NINE);
        assertThat(northAtNine.getWindowEnd()).isEqualTo(NINE.plus(Duration.ofHours(1)));
        assertThat(windows.get("north@2026-03-14T10:00:00Z").getCheckIns()).isEqualTo(1);
        assertThat(windows.get("south@2026-03-14T09:00:00Z").getCheckIns()).isEqualTo(1);
    }

    @Test
    void aRepeatedEventIdIsCountedOnce() {
        UUID retried = UUID.randomUUID();
        checkIn(retried, "cafe-north", "G1", NINE.plusSeconds(60));
        checkIn(retried, "cafe-north", "G1", NINE.plusSeconds(60));
        checkIn("cafe-north", "G1", NINE.plusSeconds(120));

        assertThat(latestWindows().get("north@2026-03-14T09:00:00Z").getCheckIns()).isEqualTo(2);
    }

    @Test
    void aRepeatArrivingADayAndAHalfLateIsStillRecognisedWithinTheGracePeriod() {
        UUID uploadedTwice = UUID.randomUUID();
        contact(uploadedTwice, "cafe-north", "G1", "G2", NINE.plusSeconds(60));
        contact("cafe-north", "G1", "G2", NINE.plus(Duration.ofHours(36))); // the city has moved on
        contact(uploadedTwice, "cafe-north", "G1", "G2", NINE.plusSeconds(60)); // the kiosk's batch again

        NeighbourhoodIndicators nine = latestWindows().get("north@2026-03-14T09:00:00Z");
        assertThat(nine.getContacts()).isEqualTo(1);
        assertThat(nine.getIsFinal()).as("still open: 36 h is well within the grace period").isFalse();
    }

    @Test
    void anEventIdReusedWithAnotherEventTimeIsNotCountedAgainAndBecomesADeadLetterSayingWhatDiffered() {
        UUID reused = UUID.randomUUID();
        checkIn(reused, "cafe-north", "G1", NINE.plusSeconds(60));
        checkIn(reused, "cafe-north", "G1", NINE.plus(Duration.ofHours(1)).plusSeconds(60)); // "corrected" time, same id
        signalsAreSentOn();

        Map<String, NeighbourhoodIndicators> windows = latestWindows();
        assertThat(windows.get("north@2026-03-14T09:00:00Z").getCheckIns()).as("the first version counts").isEqualTo(1);
        assertThat(windows).as("the reuse counts nowhere").doesNotContainKey("north@2026-03-14T10:00:00Z");
        List<TestRecord<String, byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).hasSize(1);
        assertThat(new String(letters.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value()))
                .startsWith("event id reused with another event time\n")
                .contains("2026-03-14T10:01:00Z where this event id was first seen at 2026-03-14T09:01:00Z", "new event id");
        assertThat(new String(letters.get(0).headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC).value()))
                .isEqualTo(Topics.CHECK_INS);
    }

    @Test
    void aParticipantsEventIdReusedForAnotherGroupIsNotCountedAgain() {
        UUID reused = UUID.randomUUID();
        checkIn(reused, "cafe-north", "G1", "tok-amira", NINE.plusSeconds(60));
        checkIn(reused, "cafe-north", "G2", "tok-amira", NINE.plusSeconds(60)); // same id, same time, other group

        NeighbourhoodIndicators north = latestWindows().get("north@2026-03-14T09:00:00Z");
        assertThat(north.getCheckIns()).isEqualTo(1);
        assertThat(north.getGroupHeadcounts()).isEqualTo(Map.of("G1", 1L));
        assertThat(new String(deadLetters.readRecordsToList().get(0).headers().lastHeader(DeadLetterHeaders.REASON).value()))
                .startsWith("event id reused with other content\n").contains("the same event time");
    }

    @Test
    void aContactsEventIdReusedDaysLaterForAnotherHourIsStillRecognised() {
        UUID reused = UUID.randomUUID();
        contact(reused, "cafe-north", "G1", "G2", NINE.plusSeconds(60));
        contact("cafe-north", "G1", "G2", NINE.plus(Duration.ofDays(3))); // the city has moved on; the hour is let go
        contact(reused, "cafe-north", "G1", "G2", NINE.plus(Duration.ofHours(2)));

        Map<String, NeighbourhoodIndicators> windows = latestWindows();
        assertThat(windows.get("north@2026-03-14T09:00:00Z").getContacts()).isEqualTo(1);
        assertThat(windows).doesNotContainKey("north@2026-03-14T11:00:00Z");
        assertThat(deadLetters.readRecordsToList()).hasSize(1);
    }

    @Test
    void aPlainRepeatIsDroppedWithoutADeadLetter() {
        UUID retried = UUID.randomUUID();
        checkIn(retried, "cafe-north", "G1", "tok-amira", NINE.plusSeconds(60));
        checkIn(retried, "cafe-north", "G1", "tok-amira", NINE.plusSeconds(60));
        signalsAreSentOn();

        assertThat(deadLetters.readRecordsToList()).isEmpty();
    }

    @Test
    void aParticipantsRepeatedCheckInIsCountedOnce() {
        UUID retried = UUID.randomUUID();
        checkIn(retried, "cafe-north", "G1", "tok-amira", NINE.plusSeconds(60));
        checkIn(retried, "cafe-north", "G1", "tok-amira", NINE.plusSeconds(60)); // the app retried
        checkIn("cafe-north", "G1", "tok-amira", NINE.plusSeconds(600));           // a second, real check-in

        NeighbourhoodIndicators north = latestWindows().get("north@2026-03-14T09:00:00Z");
        assertThat(north.getCheckIns()).isEqualTo(2);
        assertThat(north.getUniqueParticipants()).isEqualTo(1);
    }

    @Test
    void aCheckInWithATokenKeyedOtherwiseBecomesADeadLetterSayingHowToKeyIt() {
        checkIn("cafe-north", "G1", "tok-amira", NINE.plusSeconds(60));
        UUID id = UUID.randomUUID();
        checkIns.pipeInput(id.toString(), CheckIn.newBuilder().setEventId(id).setEventTime(NINE.plusSeconds(120))
                .setActivityId("garden-north").setGroupCode("G1").setParticipantToken("tok-amira")
                .setSource(SignalSource.CSV).build(), NINE.plusSeconds(120)); // keyed by its event id
        signalsAreSentOn();

        List<TestRecord<String, byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).key()).isEqualTo(id.toString());
        assertThat(new String(letters.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value()))
                .contains("keyed otherwise than by its participant token", "SignalKey");
        assertThat(latestWindows().get("north@2026-03-14T09:00:00Z").getCheckIns())
                .as("not counted against another partition's memory").isEqualTo(1);
    }

    @Test
    void whatAPartitionsSignalsAddIsSentOnTogetherOncePerCommitInterval() {
        for (int i = 0; i < 3; i++) {
            UUID id = UUID.randomUUID();
            CheckIn signal = CheckIn.newBuilder().setEventId(id).setEventTime(NINE.plusSeconds(60 + i))
                    .setActivityId("cafe-north").setGroupCode("G1").setSource(SignalSource.KIOSK).build();
            checkIns.pipeInput(SignalKey.of(signal), signal, NINE.plusSeconds(60 + i));
        }
        assertThat(indicators.isEmpty()).as("nothing before the interval is over").isTrue();

        signalsAreSentOn();

        List<NeighbourhoodIndicators> updates = indicators.readValuesToList();
        assertThat(updates).as("one update for the three check-ins").hasSize(1);
        assertThat(updates.get(0).getCheckIns()).isEqualTo(3);
    }

    @Test
    void contactsAreCountedAsCrossGroupOnlyWhenBothSidesDeclaredDifferentGroups() {
        contact("cafe-north", "G1", "G2", NINE.plusSeconds(60));
        contact("cafe-north", "G2", "G1", NINE.plusSeconds(70));
        contact("cafe-north", "G1", "G1", NINE.plusSeconds(80));
        contact("cafe-north", "G1", null, NINE.plusSeconds(90));

        NeighbourhoodIndicators north = latestWindows().get("north@2026-03-14T09:00:00Z");

        assertThat(north.getContacts()).isEqualTo(4);
        assertThat(north.getCrossGroupContacts()).isEqualTo(2);
        assertThat(north.getMixing()).containsExactlyInAnyOrder(
                new MixingCell("G1", "G2", 2L), new MixingCell("G1", "G1", 1L), new MixingCell("?", "G1", 1L));
    }

    @Test
    void sentimentTapsAreLocatedThroughTheirKioskAndCountedByLevel() {
        tap("kiosk-library", 5, NINE.plusSeconds(10));
        tap("kiosk-library", 5, NINE.plusSeconds(20));
        tap("kiosk-library", 2, NINE.plusSeconds(30));

        NeighbourhoodIndicators south = latestWindows().get("south@2026-03-14T09:00:00Z");

        assertThat(south.getSentiment()).containsExactlyInAnyOrder(
                new SentimentCell("welcome", 5, 5, 2L), new SentimentCell("welcome", 5, 2, 1L));
        assertThat(south.getCheckIns()).isZero();
    }

    @Test
    void aKiosksTapsWithinTheDebounceIntervalCountOnce() {
        tap("kiosk-library", 5, NINE.plusSeconds(100));
        tap("kiosk-library", 5, NINE.plusSeconds(102));  // pressed again: same person
        tap("kiosk-library", 1, NINE.plusSeconds(104));
        tap("kiosk-cafe", 4, NINE.plusSeconds(103));     // another kiosk is not affected
        tap("kiosk-library", 4, NINE.plusSeconds(106));  // 6 s after the last counted tap

        Map<String, NeighbourhoodIndicators> windows = latestWindows();

        assertThat(windows.get("south@2026-03-14T09:00:00Z").getSentiment()).containsExactlyInAnyOrder(
                new SentimentCell("welcome", 5, 5, 1L), new SentimentCell("welcome", 5, 4, 1L));
        assertThat(windows.get("north@2026-03-14T09:00:00Z").getSentiment())
                .containsExactly(new SentimentCell("welcome", 5, 4, 1L));
    }

    @Test
    void aCheckInAsOldAsTheApiAcceptsStillUpdatesItsWindowAndOneOlderIsDropped() {
        checkIn("cafe-north", "G1", NINE.plusSeconds(60));
        checkIn("cafe-north", "G1", NINE.plus(SignalAge.DEFAULT.maxAge())); // stream time: a month on
        checkIn("cafe-north", "G2", NINE.plusSeconds(120)); // a paper sheet typed in as late as the API accepts
        NeighbourhoodIndicators counted = latestWindows().get("north@2026-03-14T09:00:00Z");
        assertThat(counted.getCheckIns()).isEqualTo(2);
        assertThat(counted.getIsFinal()).isFalse();

        checkIn("cafe-north", "G1", NINE.plus(GRACE).plus(Duration.ofHours(2)));
        checkIn("cafe-north", "G2", NINE.plusSeconds(180)); // older than the API accepts: the window has closed
        NeighbourhoodIndicators closed = latestWindows().get("north@2026-03-14T09:00:00Z");
        assertThat(closed.getIsFinal()).isTrue();
        assertThat(closed.getCheckIns()).as("the check-in beyond grace is not counted").isEqualTo(2);
    }

    @Test
    void aSheetOfCheckInsTwentyNineDaysOldReachesItsHoursAndTheCityDay() {
        Instant now = NINE.plus(Duration.ofDays(29));
        checkIn("dinner-south", "G1", now); // the city has moved on
        for (int person = 0; person < 12; person++) {
            checkIn("cafe-north", "G" + (person % 3), NINE.plusSeconds(60 + person));
        }

        assertThat(latestWindows().get("north@2026-03-14T09:00:00Z").getCheckIns()).isEqualTo(12);
        CityIndicators day = latestCityDays().get("Riverton@2026-03-14T00:00:00Z");
        assertThat(day.getHeadcount()).isEqualTo(12);
    }

    @Test
    void aCheckInArrivingAfterTheParticipantsLaterOnesIsCountedAndMarkedPartlyCounted() {
        checkIn("cafe-north", "G1", "tok-amira", NINE.plus(Duration.ofDays(7)));  // the app, a week later
        checkIn("cafe-north", "G1", "tok-amira", NINE);                          // the paper sheet, typed in after
        checkIn("cafe-north", "G1", "tok-ben", NINE.plusSeconds(60));            // ben's only visit

        Map<String, NeighbourhoodIndicators> windows = latestWindows();
        NeighbourhoodIndicators sheetHour = windows.get("north@2026-03-14T09:00:00Z");
        assertThat(sheetHour.getCheckIns()).isEqualTo(2);
        assertThat(sheetHour.getUniqueParticipants()).isEqualTo(2);
        assertThat(sheetHour.getPartlyCountedCheckIns()).as("amira's, judged after her later visit").isEqualTo(1);
        assertThat(windows.get("north@2026-03-21T09:00:00Z").getFirstTimeParticipants())
                .as("the later hour is not revised: amira's first visit stays counted there").isEqualTo(1);
    }

    @Test
    void anActivityMovedOrRemovedLocatesTheSignalsAfterItAccordingly() {
        activities.pipeInput("cafe-north", activity("cafe-north", "south"), NINE); // the café moved south
        checkIn("cafe-north", "G1", NINE.plusSeconds(60));
        activities.pipeInput("cafe-north", null, NINE.plusSeconds(90));              // and closed
        checkIn("cafe-north", "G1", NINE.plusSeconds(120));

        assertThat(latestWindows().get("south@2026-03-14T09:00:00Z").getCheckIns()).isEqualTo(1);
        assertThat(latestWindows()).doesNotContainKey("north@2026-03-14T09:00:00Z");
        assertThat(new String(deadLetters.readRecordsToList().get(0).headers().lastHeader(DeadLetterHeaders.REASON).value()))
                .isEqualTo("unknown activity 'cafe-north'");
    }

    @Test
    void aSignalForAnUnknownActivityBecomesADeadLetterWithTheReason() {
        checkIn("no-such-activity", "G1", NINE.plusSeconds(60));

        List<TestRecord<String, byte[]>> letters = deadLetters.readRecordsToList();

        assertThat(letters).hasSize(1);
        assertThat(new String(letters.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value()))
                .isEqualTo("unknown activity 'no-such-activity'");
        assertThat(new String(letters.get(0).headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC).value()))
                .isEqualTo(Topics.CHECK_INS);
        assertThat(letters.get(0).value()[0]).as("still in the Confluent wire format").isZero();
        assertThat(indicators.isEmpty()).isTrue();
    }

    @Test
    void aWindowIsMarkedFinalOnceItsGracePeriodIsOverAndNotBefore() {
        Instant windowEnd = NINE.plus(Duration.ofHours(1));
        checkIn("cafe-north", "G1", NINE.plusSeconds(60));
        checkIn("cafe-north", "G1", windowEnd.plus(GRACE).minusSeconds(1));
        assertThat(indicators.readValuesToList()).noneMatch(NeighbourhoodIndicators::getIsFinal);

        checkIn("cafe-north", "G1", windowEnd.plus(GRACE).plusSeconds(1)); // stream time passes end + grace
        List<NeighbourhoodIndicators> finals = indicators.readValuesToList().stream()
                .filter(NeighbourhoodIndicators::getIsFinal).toList();

        assertThat(finals).hasSize(1);
        assertThat(finals.get(0).getWindowStart()).isEqualTo(NINE);
        assertThat(finals.get(0).getCheckIns()).isEqualTo(1);
    }

    @Test
    void participantsAreCountedOnceAndTheirFirstVisitAndReturnAreRecognised() {
        checkIn("cafe-north", "G1", "tok-amira", NINE.minus(Duration.ofDays(3)));     // another session, 3 days before
        checkIn("cafe-north", "G1", "tok-amira", NINE.plusSeconds(60));
        checkIn("garden-north", "G1", "tok-amira", NINE.plusSeconds(120));            // same person, same hour
        checkIn("cafe-north", "G2", "tok-ben", NINE.plusSeconds(180));                // first ever visit
        checkIn("cafe-north", null, null, NINE.plusSeconds(240));                     // anonymous headcount

        NeighbourhoodIndicators north = latestWindows().get("north@2026-03-14T09:00:00Z");

        assertThat(north.getCheckIns()).isEqualTo(4);
        assertThat(north.getUniqueParticipants()).isEqualTo(2);
        assertThat(north.getFirstTimeParticipants()).as("ben").isEqualTo(1);
        assertThat(north.getSustainedParticipants()).as("amira, at two sessions in 30 days").isEqualTo(1);
    }

    @Test
    void aVeryLateUploadDoesNotMakeAParticipantForgetTheirRecentSessions() {
        checkIn("cafe-north", "G1", "tok-amira", NINE);
        checkIn("cafe-north", "G1", "tok-amira", NINE.minus(Duration.ofDays(40))); // a sheet typed in very late
        checkIn("garden-north", "G1", "tok-amira", NINE.plus(Duration.ofDays(1)));

        assertThat(latestWindows().get("north@2026-03-15T09:00:00Z").getSustainedParticipants())
                .as("the café yesterday and the garden today: two sessions in 30 days").isEqualTo(1);
    }

    @Test
    void activitiesHaveTheirOwnWindowsAndKioskTapsAtAnActivityCountThere() {
        checkIn("cafe-north", "G1", NINE.plusSeconds(60));
        checkIn("garden-north", "G2", NINE.plusSeconds(70));
        tap("kiosk-cafe", 4, NINE.plusSeconds(80));
        tap("kiosk-library", 4, NINE.plusSeconds(90)); // a kiosk at no particular activity

        Map<String, NeighbourhoodIndicators> byActivity = latest(activityIndicators);

        assertThat(byActivity).containsOnlyKeys("north/cafe-north@2026-03-14T09:00:00Z", "north/garden-north@2026-03-14T09:00:00Z");
        NeighbourhoodIndicators cafe = byActivity.get("north/cafe-north@2026-03-14T09:00:00Z");
        assertThat(cafe.getActivityId()).isEqualTo("cafe-north");
        assertThat(cafe.getNeighbourhoodId()).isEqualTo("north");
        assertThat(cafe.getCheckIns()).isEqualTo(1);
        assertThat(cafe.getSentiment()).containsExactly(new SentimentCell("welcome", 5, 4, 1L));
        assertThat(latestWindows().get("north@2026-03-14T09:00:00Z").getCheckIns()).isEqualTo(2);
    }

    @Test
    void indicatorsRestingOnFewerThanKPeopleAreWithheldAndShownAtK() {
        for (int i = 0; i < 9; i++) {
            checkIn("dinner-south", i % 2 == 0 ? "G1" : "G2", NINE.plusSeconds(10 + i));
        }
        var atNine = latestWindows().get("south@2026-03-14T09:00:00Z").getIndicators();
        assertThat(atNine.getGiniSimpson()).as("9 people, k = 10").isNull();
        assertThat(atNine.getWithheld()).contains("diversity", "groupHeadcounts.G1", "groupHeadcounts.G2");
        assertThat(atNine.getPublishedGroupHeadcounts()).isEmpty();

        checkIn("dinner-south", "G1", NINE.plusSeconds(30));
        var atTen = latestWindows().get("south@2026-03-14T09:00:00Z").getIndicators();
        assertThat(atTen.getGiniSimpson()).as("10 people").isEqualTo(1 - (0.36 + 0.16), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(atTen.getWithheld()).doesNotContain("diversity").contains("groupHeadcounts.G2", "groupHeadcounts.G1");
        assertThat(atTen.getK()).isEqualTo(10);
    }

    @Test
    void aHiddenGroupCannotBeRecoveredBySubtractingTheOthersFromTheTotal() {
        for (int i = 0; i < 12; i++) {
            checkIn("dinner-south", "G1", NINE.plusSeconds(i));
        }
        for (int i = 0; i < 11; i++) {
            checkIn("dinner-south", "G2", NINE.plusSeconds(100 + i));
        }
        checkIn("dinner-south", "G3", NINE.plusSeconds(200)); // one person of G3

        var published = latestWindows().get("south@2026-03-14T09:00:00Z").getIndicators();

        assertThat(published.getPublishedGroupHeadcounts()).containsOnlyKeys("G1");
        assertThat(published.getWithheld()).contains("groupHeadcounts.G3", "groupHeadcounts.G2");
    }

    @Test
    void mixingIndicatorsFollowNewmanForTheWindowsContacts() {
        for (int i = 0; i < 6; i++) {
            contact("cafe-north", "A", "A", NINE.plusSeconds(i));
        }
        contact("cafe-north", "B", "B", NINE.plusSeconds(10));
        contact("cafe-north", "B", "B", NINE.plusSeconds(11));
        contact("cafe-north", "A", "B", NINE.plusSeconds(12));
        contact("cafe-north", "B", "A", NINE.plusSeconds(13));

        var published = latestWindows().get("north@2026-03-14T09:00:00Z").getIndicators();

        assertThat(published.getCrossGroupShare()).isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(published.getAssortativity()).isCloseTo((0.8 - 0.58) / 0.42, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(published.getAssortativityLowerBound()).isCloseTo(-0.58 / 0.42, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void theCityDayShowsHowSegregatedActivitiesAreWithSmallCellsWithheld() {
        for (int i = 0; i < 12; i++) {
            checkIn("cafe-north", "G1", NINE.plusSeconds(i));
            checkIn("dinner-south", "G2", NINE.plusSeconds(100 + i));
        }
        checkIn("cafe-north", "G3", NINE.plusSeconds(300));
        checkIn("cafe-north", "G3", NINE.plusSeconds(301));

        CityIndicators day = latestCityDays().get("Riverton@2026-03-14T00:00:00Z");

        assertThat(day.getHeadcount()).isEqualTo(26);
        assertThat(day.getAttendance()).contains(new ActivityGroupCell("cafe-north", "G3", 2L));
        assertThat(day.getDissimilarity()).as("G3 has fewer than k people in the city")
                .containsExactly(new GroupPairDissimilarity("G1", "G2", 1.0));
        assertThat(day.getPublishedAttendance()).containsExactly(new ActivityGroupCell("dinner-south", "G2", 12L));
        assertThat(day.getWithheld()).contains("attendance.cafe-north.G3", "attendance.cafe-north.G1", "dissimilarity.G1.G3");
        double e = -(12.0 / 26 * Math.log(12.0 / 26) * 2 + 2.0 / 26 * Math.log(2.0 / 26));
        double eCafe = -(12.0 / 14 * Math.log(12.0 / 14) + 2.0 / 14 * Math.log(2.0 / 14));
        assertThat(day.getTheil()).isCloseTo((e - 14.0 / 26 * eCafe) / e, org.assertj.core.api.Assertions.within(1e-12));
        // Σ_m T_m (T − T_m) = 12·14 + 12·14 + 2·24 = 384; Σ |t_im T − t_i T_m| = 144 + 168 + 24 + 144 + 168 + 24 = 672
        assertThat(day.getMultigroupDissimilarity()).as("multigroup D over all groups, G3 included")
                .isCloseTo(672.0 / (2 * 384), org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void theCityDayIsTheSumOfItsNeighbourhoodHoursLateCheckInsIncluded() {
        checkIn("cafe-north", "G1", NINE.plusSeconds(60));
        checkIn("cafe-north", "G2", NINE.plusSeconds(120));
        checkIn("dinner-south", "G1", NINE.plusSeconds(2 * 3600));
        checkIn("cafe-north", "G1", NINE.plusSeconds(1800)); // late for 09:00, well within grace

        CityIndicators day = latestCityDays().get("Riverton@2026-03-14T00:00:00Z");
        long hours = latestWindows().values().stream().filter(w -> w.getActivityId() == null)
                .mapToLong(NeighbourhoodIndicators::getHeadcount).sum();

        assertThat(day.getHeadcount()).isEqualTo(4).isEqualTo(hours);
        assertThat(day.getAttendance()).containsExactlyInAnyOrder(new ActivityGroupCell("cafe-north", "G1", 2L),
                new ActivityGroupCell("cafe-north", "G2", 1L), new ActivityGroupCell("dinner-south", "G1", 1L));
    }

    @Test
    void twoCitiesWhoseSignalsInterleaveEachKeepTheirOwnDay() {
        for (int i = 0; i < 12; i++) {
            checkIn("cafe-north", "G1", NINE.plusSeconds(10 * i));
            checkIn("choir-lakeshore", "G2", NINE.plusSeconds(10 * i + 5));
            checkIn("choir-lakeshore", "G3", NINE.plusSeconds(10 * i + 6));
        }
        checkIn("dinner-south", "G2", NINE.plus(Duration.ofHours(3)));

        Map<String, CityIndicators> days = latestCityDays();
        CityIndicators riverton = days.get("Riverton@2026-03-14T00:00:00Z");
        CityIndicators lakeside = days.get("Lakeside@2026-03-14T00:00:00Z");

        assertThat(days.keySet()).as("one day per city, no day of the cities together")
                .containsExactlyInAnyOrder("Riverton@2026-03-14T00:00:00Z", "Lakeside@2026-03-14T00:00:00Z");
        assertThat(riverton.getCity()).isEqualTo("Riverton");
        assertThat(riverton.getHeadcount()).isEqualTo(13);
        assertThat(riverton.getAttendance()).containsExactlyInAnyOrder(new ActivityGroupCell("cafe-north", "G1", 12L),
                new ActivityGroupCell("dinner-south", "G2", 1L));
        assertThat(lakeside.getCity()).isEqualTo("Lakeside");
        assertThat(lakeside.getHeadcount()).isEqualTo(24);
        assertThat(lakeside.getAttendance()).containsExactlyInAnyOrder(new ActivityGroupCell("choir-lakeshore", "G2", 12L),
                new ActivityGroupCell("choir-lakeshore", "G3", 12L));
        assertThat(lakeside.getDissimilarity()).as("Lakeside's one activity holds both its groups: no segregation")
                .containsExactly(new GroupPairDissimilarity("G2", "G3", 0.0));
    }

    @Test
    void aNeighbourhoodWithoutARegisteredCityIsKeptApartFromTheNamedCities() {
        activities.pipeInput("stall-nowhere", activity("stall-nowhere", "nowhere"), NINE.minus(Duration.ofDays(1)));
        checkIn("stall-nowhere", "G1", NINE.plusSeconds(60));
        checkIn("cafe-north", "G1", NINE.plusSeconds(90));

        Map<String, CityIndicators> days = latestCityDays();

        assertThat(days.get("Riverton@2026-03-14T00:00:00Z").getHeadcount()).isEqualTo(1);
        assertThat(days.get("@2026-03-14T00:00:00Z").getHeadcount()).isEqualTo(1);
    }

    @Test
    void theTopologyNamesItsStepsInTheDomainsWords() {
        assertThat(CohesionTopology.build(StreamsSettings.defaults("x:9092", registry.url(), stateDir),
                new RegistrySerdes(registry.url(), true), 1).describe().toString())
                .contains("locate-check-in-via-activity", "remember-participants", "drop-repeated-anonymous-check-ins",
                        "dead-letter-reused-ids-of-anonymous-check-ins", "draft-neighbourhood-hours", "tally-neighbourhood-hour");
    }
}
