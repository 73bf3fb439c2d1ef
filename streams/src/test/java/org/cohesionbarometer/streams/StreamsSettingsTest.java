package org.cohesionbarometer.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.cohesionbarometer.schemas.Environment;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

    @Test
    void theGracePeriodFollowsTheOldestSignalTheApiAccepts() {
        var settings = StreamsSettings.fromEnvironment(new Environment(Map.of("BAROMETER_INGEST_MAX_AGE", "P14D")));

        assertThat(settings.grace()).isGreaterThanOrEqualTo(Duration.ofDays(14).plusMinutes(5));
        assertThat(settings.grace()).isLessThanOrEqualTo(Duration.ofDays(16));
        assertThat(settings.dedupHorizon()).as("a re-imported sheet is recognised as long as it is counted")
                .isGreaterThanOrEqualTo(settings.grace());
    }

    @Test
    void byDefaultAMonthOldPaperSheetIsStillCounted() {
        var settings = StreamsSettings.fromEnvironment(new Environment(Map.of()));

        assertThat(settings.grace()).isGreaterThan(Duration.ofDays(30));
    }

    @Test
    void aGraceShorterThanWhatTheApiAcceptsIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> StreamsSettings.fromEnvironment(new Environment(Map.of("BAROMETER_GRACE", "PT48H"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BAROMETER_GRACE (PT48H)")
                .hasMessageContaining("BAROMETER_INGEST_MAX_AGE PT720H")
                .hasMessageContaining("would never be counted");
    }

    @Test
    void aLongerGraceThanNeededIsTaken() {
        var settings = StreamsSettings.fromEnvironment(new Environment(Map.of("BAROMETER_GRACE", "P60D")));

        assertThat(settings.grace()).isEqualTo(Duration.ofDays(60));
    }

    /** Static membership: a restarted instance takes its tasks back at once (docs/operations.md). */
    @Test
    void aRestartedInstanceRejoinsUnderItsOwnNameAndDeadTransactionsEndSoon() {
        var props = StreamsSettings.fromEnvironment(new Environment(Map.of("BAROMETER_INSTANCE_ID", "streams-a"))).toProperties();

        assertThat(props.get("group.instance.id")).isEqualTo("streams-a-streams");
        assertThat(props.get("main.consumer.session.timeout.ms")).isEqualTo(30_000);
        assertThat(props.get("producer.transaction.timeout.ms")).isEqualTo(10_000);
    }

    /** A restore reads every partition to its end; it must not then wait 500 ms for data that will not come. */
    @Test
    void restoringStoresAndReferenceDataDoesNotWaitAtTheEndOfEachPartition() {
        var props = StreamsSettings.fromEnvironment(new Environment(Map.of())).toProperties();

        assertThat(props.get("global.consumer.fetch.max.wait.ms")).isEqualTo(50);
        assertThat(props.get("restore.consumer.fetch.max.wait.ms")).isEqualTo(50);
        assertThat(props.get("main.consumer.fetch.max.wait.ms")).as("the signals' own consumer keeps Kafka's default").isNull();
    }

    @Test
    void oneStreamThreadByDefaultAndMoreWhenAsked() {
        assertThat(StreamsSettings.fromEnvironment(new Environment(Map.of())).toProperties().get("num.stream.threads")).isEqualTo(1);
        assertThat(StreamsSettings.fromEnvironment(new Environment(Map.of("BAROMETER_STREAM_THREADS", "2")))
                .toProperties().get("num.stream.threads")).isEqualTo(2);
    }

    @Test
    void noStreamThreadAtAllIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> StreamsSettings.fromEnvironment(new Environment(Map.of("BAROMETER_STREAM_THREADS", "0"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BAROMETER_STREAM_THREADS (0) must be 1 to 64");
    }
}
