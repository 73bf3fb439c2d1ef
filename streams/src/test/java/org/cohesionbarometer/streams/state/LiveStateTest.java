package org.cohesionbarometer.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a processor sees of its live state, and what reaches the store underneath, and when. */
class LiveStateTest {
    private KeyValueStore<String, Long> written;
    private LiveState<String, Long> state;

    @BeforeEach
    void open() {
        written = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("counts"), Serdes.String(), Serdes.Long())
                .withLoggingDisabled().build();
        state = LiveState.over(new Prebuilt(written), 2).build();
        state.init(new MockProcessorContext<>().getStateStoreContext(), state);
    }

    @AfterEach
    void close() {
        state.close();
    }

    @Test
    void aChangeIsSeenAtOnceButWrittenOnlyWhenACommitIsPrepared() {
        state.put("amira", 1L);
        state.put("amira", 2L);

        assertThat(state.get("amira")).isEqualTo(2L);
        assertThat(written.get("amira")).isNull();

        state.flushCache();

        assertThat(written.get("amira")).isEqualTo(2L);
        assertThat(state.commits()).isEqualTo(1);
    }

    @Test
    void aDeleteIsWrittenAtTheCommitToo() {
        state.put("amira", 1L);
        state.flushCache();
        state.delete("amira");

        assertThat(state.get("amira")).isNull();
        assertThat(written.get("amira")).isEqualTo(1L);

        state.flushCache();

        assertThat(written.get("amira")).isNull();
    }

    @Test
    void aValueNoLongerLiveIsReadBackFromTheStore() {
        state.put("amira", 1L);
        state.put("bo", 2L);
        state.put("chen", 3L);
        state.get("amira"); // used since: bo is now the least recently used
        state.flushCache(); // keeps at most two live

        written.put("bo", 20L); // were bo still live, this would not be seen
        written.put("amira", 10L);

        assertThat(state.get("bo")).isEqualTo(20L);
        assertThat(state.get("amira")).as("still live").isEqualTo(1L);
    }

    @Test
    void aRangeShowsWhatIsWrittenWithWhatChangedSince() {
        state.put("a#1", 1L);
        state.put("a#2", 2L);
        state.put("b#1", 9L);
        state.flushCache();
        state.delete("a#1");
        state.put("a#3", 3L);

        assertThat(state.range("a#", "a#~")).containsExactly(KeyValue.pair("a#2", 2L), KeyValue.pair("a#3", 3L));
        assertThat(state.all()).extracting(kv -> kv.key).containsExactlyInAnyOrder("a#2", "a#3", "b#1");
    }

    @Test
    void whatAKafkaStreamsCommitCallsAfterwardsWritesWhatWasLeft() {
        state.put("amira", 1L);

        state.commit(Map.of());

        assertThat(written.get("amira")).isEqualTo(1L);
        assertThat(state.lateWrites()).isEqualTo(1);
    }

    /**
     * Rule 1, the one that rests on Kafka Streams' internals: fails when an upgrade stops calling the
     * hook before a commit (see docs/architecture.md, "Upgrading Kafka").
     */
    @Test
    void kafkaStreamsWritesLiveStateBeforeEveryCommit(@TempDir Path stateDir) {
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "words");
        topology.addProcessor("count", () -> new Processor<String, String, Void, Void>() {
            private LiveState<String, Long> counts;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                counts = context.getStateStore("word-counts");
            }

            @Override
            public void process(Record<String, String> record) {
                Long before = counts.get(record.value());
                counts.put(record.value(), before == null ? 1 : before + 1);
            }
        }, "in");
        topology.addStateStore(LiveState.over(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("word-counts"),
                Serdes.String(), Serdes.Long()), 10), "count");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "live-state-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);

        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config)) {
            var words = driver.createInputTopic("words", Serdes.String().serializer(), Serdes.String().serializer());
            words.pipeInput("a", "cafe");
            words.pipeInput("b", "cafe");
            words.pipeInput("c", "garden");
            LiveState<?, ?> counts = (LiveState<?, ?>) driver.getStateStore("word-counts");

            assertThat(counts.commits()).as("commits that wrote the state").isGreaterThanOrEqualTo(3);
            assertThat(counts.lateWrites()).as("commits that found the state unwritten").isZero();
            var changelog = driver.createOutputTopic("live-state-test-word-counts-changelog",
                    Serdes.String().deserializer(), Serdes.Long().deserializer());
            assertThat(changelog.readKeyValuesToMap()).containsEntry("cafe", 2L).containsEntry("garden", 1L);
        }
    }

    @Test
    void aStoreWithKafkasCacheOrWithoutAChangelogIsRefused() {
        var cached = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("cached"), Serdes.String(), Serdes.Long())
                .withCachingEnabled();
        var unlogged = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("unlogged"), Serdes.String(), Serdes.Long())
                .withLoggingDisabled();

        assertThatThrownBy(() -> LiveState.over(cached, 10).build()).hasMessageContaining("without Kafka's cache");
        assertThatThrownBy(() -> LiveState.over(unlogged, 10).build()).hasMessageContaining("logged store");
    }

    @Test
    void aTopologyWithAnotherStoreUpstreamOfLiveStateInOneTaskIsRefused() {
        Topology topology = new Topology();
        topology.addSource("in", "words");
        topology.addProcessor("before", Ignoring::new, "in");
        topology.addProcessor("live", Ignoring::new, "before");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("cached-counts"),
                Serdes.String(), Serdes.Long()), "before");
        topology.addStateStore(LiveState.over(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("live-counts"),
                Serdes.String(), Serdes.Long()), 10), "live");

        assertThatThrownBy(() -> LiveState.requireNoOtherStoreUpstream(topology.describe(), Set.of("live-counts")))
                .hasMessageContaining("cached-counts").hasMessageContaining("live");
        LiveState.requireNoOtherStoreUpstream(topology.describe(), Set.of("live-counts", "cached-counts"));
    }

    private static final class Ignoring implements Processor<Object, Object, Object, Object> {
        @Override
        public void process(Record<Object, Object> record) {
        }
    }

    /** Builds the one store the test also looks into. */
    private record Prebuilt(KeyValueStore<String, Long> store) implements StoreBuilder<KeyValueStore<String, Long>> {
        @Override
        public StoreBuilder<KeyValueStore<String, Long>> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, Long>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, Long>> withLoggingEnabled(Map<String, String> config) {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, Long>> withLoggingDisabled() {
            return this;
        }

        @Override
        public KeyValueStore<String, Long> build() {
            return store;
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return true; // as LiveState requires; the store underneath writes no changelog in this test
        }

        @Override
        public String name() {
            return store.name();
        }
    }
}
