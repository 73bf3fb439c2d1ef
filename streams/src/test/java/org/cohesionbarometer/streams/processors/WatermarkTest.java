package org.cohesionbarometer.streams.processors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.cohesionbarometer.schemas.internal.HourDraft;
import org.cohesionbarometer.schemas.internal.WindowTally;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.cohesionbarometer.streams.window.HourTally;
import org.cohesionbarometer.streams.InProcessRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Drafts from two partitions, and the event time both have reached. */
class WatermarkTest {
    private static final Instant NINE = Instant.parse("2026-03-14T09:00:00Z");
    @RegisterExtension
    static final InProcessRegistry registry = new InProcessRegistry();

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, HourDraft> drafts;
    private TestOutputTopic<String, WindowTally> released;

    @BeforeEach
    void twoPartitionsSendDrafts() {
        var serdes = new RegistrySerdes(registry.url(), true);
        var draftSerde = serdes.of(HourDraft.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Watermark.progressStore(draftSerde));
        builder.addStateStore(Watermark.waitingStore(draftSerde));
        builder.stream("drafts", Consumed.with(Serdes.String(), draftSerde))
                .process(() -> new Watermark(2, Duration.ofHours(1)), Watermark.PROGRESS, Watermark.WAITING)
                .to("released", Produced.with(Serdes.String(), serdes.of(WindowTally.class)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "watermark-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        drafts = driver.createInputTopic("drafts", Serdes.String().serializer(), draftSerde.serializer());
        released = driver.createOutputTopic("released", Serdes.String().deserializer(), serdes.of(WindowTally.class).deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void draft(int partition, String hood, Instant lastEvent) {
        WindowTally draft = HourTally.draft(hood, lastEvent.toEpochMilli() - lastEvent.toEpochMilli() % 3_600_000);
        draft.getCounts().setLastEventTime(lastEvent.toEpochMilli());
        draft.getCounts().setCheckIns(1);
        drafts.pipeInput(hood, new HourDraft(partition, lastEvent.toEpochMilli(), false, draft), lastEvent);
    }

    private void reached(int partition, Instant streamTime, boolean idle) {
        drafts.pipeInput(Watermark.PROGRESS_KEY, new HourDraft(partition, streamTime.toEpochMilli(), idle, null), streamTime);
    }

    private List<Instant> releasedEventTimes() {
        return released.readValuesToList().stream()
                .map(d -> Instant.ofEpochMilli(d.getCounts().getLastEventTime())).toList();
    }

    @Test
    void nothingGoesOnBeforeEveryPartitionHasSaidHowFarItGot() {
        draft(0, "north", NINE.plusSeconds(60));
        reached(0, NINE.plusSeconds(60), false);

        assertThat(released.isEmpty()).isTrue();
    }

    @Test
    void aDraftWaitsUntilTheSlowestPartitionIsWithinAnHourOfIt() {
        reached(1, NINE.minusSeconds(3600), false);
        draft(0, "north", NINE.plusSeconds(1800));
        reached(0, NINE.plusSeconds(1800), false);
        assertThat(released.isEmpty()).as("partition 1 is an hour and a half behind").isTrue();

        reached(1, NINE.minusSeconds(1800), false);

        assertThat(releasedEventTimes()).containsExactly(NINE.plusSeconds(1800));
    }

    @Test
    void draftsGoOnInEventTimeOrderWhicheverPartitionSentThem() {
        reached(0, NINE.minusSeconds(7200), false);
        reached(1, NINE.minusSeconds(7200), false);
        draft(0, "north", NINE.plusSeconds(3000));
        draft(1, "south", NINE.plusSeconds(600));
        draft(0, "north", NINE.plusSeconds(4000));
        reached(0, NINE.plusSeconds(4000), false);

        reached(1, NINE.plusSeconds(7200), false);

        assertThat(releasedEventTimes()).containsExactly(NINE.plusSeconds(600), NINE.plusSeconds(3000), NINE.plusSeconds(4000));
    }

    @Test
    void aQuietPartitionIsNotWaitedFor() {
        reached(1, NINE.minusSeconds(7200), true);
        draft(0, "north", NINE.plusSeconds(60));
        reached(0, NINE.plusSeconds(60), false);

        assertThat(releasedEventTimes()).containsExactly(NINE.plusSeconds(60));
    }

    @Test
    void aDraftOlderThanWhatEveryPartitionHasReachedGoesOnAtOnceForTheWindowToJudge() {
        reached(0, NINE.plusSeconds(7200), false);
        reached(1, NINE.plusSeconds(7200), false);

        draft(1, "south", NINE.plusSeconds(60)); // a late signal

        assertThat(releasedEventTimes()).containsExactly(NINE.plusSeconds(60));
    }

    @Test
    void theWatermarkNeverMovesBack() {
        reached(0, NINE.plusSeconds(3600), false);
        reached(1, NINE.plusSeconds(3600), true);   // quiet: not waited for
        reached(1, NINE.minusSeconds(7200), false); // back, with an older signal
        draft(0, "north", NINE.plusSeconds(5400));

        assertThat(releasedEventTimes()).as("still an hour ahead of 10:00").containsExactly(NINE.plusSeconds(5400));
    }
}
