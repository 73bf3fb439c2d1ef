package org.cohesionbarometer.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
            return false;
        }

        @Override
        public String name() {
            return store.name();
        }
    }
}
