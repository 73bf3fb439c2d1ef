package org.cohesionbarometer.streams.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.apache.kafka.streams.state.internals.CachingKeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A processor's state as live objects, written to a changelogged Kafka Streams store once per
 * commit for each key that changed, instead of at every change.
 *
 * <p>Kafka Streams' own record cache holds serialized bytes, so every put through it serializes
 * the whole value: a neighbourhood-hour draft that a thousand signals add to between two commits
 * was serialized a thousand times, and a participant's history was deserialized at every check-in.
 * Here a change costs a map update; what changed is serialized and written to the underlying store
 * (and so to its changelog) when the task prepares a commit, before the input offsets and the
 * changelog records are committed together: exactly-once as with Kafka's cache, and a crash loses
 * nothing taken from the input. Values read are kept live, up to {@code keepAtMost} of them (the
 * least recently used go first, once written), so a participant seen again costs no read either.
 *
 * <p>The hook used is the one Kafka's caching stores use to write before a commit
 * ({@code CachedStateStore.flushCache}, internal to Kafka Streams 4.3, which has no public
 * pre-commit hook for a store yet). This package is the only place that depends on Kafka Streams'
 * internals; docs/architecture.md, "Upgrading Kafka", says what to check on an upgrade. Three
 * rules, each enforced here:
 * <ol>
 *   <li>Kafka Streams calls {@link #flushCache} before every commit. {@link #commit} counts the
 *       commits that found changes still unwritten ({@link #lateWrites}); {@code LiveStateTest} runs a
 *       topology and fails if there are any, and {@code CohesionStreamsIT} restarts the application on
 *       an empty state directory and fails if the state was written after the commit.</li>
 *   <li>The store written is logged and not cached (this is its cache): {@link Builder#build} refuses
 *       one that is not logged or is cached.</li>
 *   <li>No other store upstream of it in the task: a cached store there would forward while caches are
 *       flushed, after this store had been written, and what that changed would wait for the next
 *       commit. {@link #requireNoOtherStoreUpstream} refuses such a topology; the topology calls it.</li>
 * </ol>
 *
 * @param <K> key
 * @param <V> value, held live: a caller may change it in place and {@link #put} it again
 */
public final class LiveState<K, V> implements StateStore, CachedStateStore<K, V> {
    private final KeyValueStore<K, V> written;
    private final int keepAtMost;
    private final LinkedHashMap<K, V> live = new LinkedHashMap<>(16, 0.75f, true);
    /** What to write at the next commit: the value, or null to delete. Not looked up in {@code live}, whose order it would disturb. */
    private final Map<K, V> changed = new HashMap<>();
    private long commits;
    private long lateWrites;

    private LiveState(KeyValueStore<K, V> written, int keepAtMost) {
        this.written = written;
        this.keepAtMost = keepAtMost;
    }

    /**
     * @param written    the store to write to at each commit: logged, and not cached (this is its cache)
     * @param keepAtMost how many values to keep live once written
     */
    public static <K, V> StoreBuilder<LiveState<K, V>> over(StoreBuilder<KeyValueStore<K, V>> written, int keepAtMost) {
        return new Builder<>(written, keepAtMost);
    }

    /** The value, or null if there is none. */
    public V get(K key) {
        V value = live.get(key);
        if (value == null && !changed.containsKey(key)) {
            value = written.get(key);
            if (value != null) {
                live.put(key, value);
            }
        }
        return value;
    }

    public void put(K key, V value) {
        live.put(key, value);
        changed.put(key, value);
    }

    public void delete(K key) {
        live.remove(key);
        changed.put(key, null);
    }

    /** How many commits have written this state since it was opened: what changed after it is written at the next. */
    public long commits() {
        return commits;
    }

    /**
     * What is written under keys from {@code from} to {@code to} (both included), with what has
     * changed since the last commit in that range (a range read of the underlying store).
     */
    @SuppressWarnings("unchecked")
    public List<KeyValue<K, V>> range(K from, K to) {
        Map<K, V> inRange = new LinkedHashMap<>();
        try (KeyValueIterator<K, V> stored = written.range(from, to)) {
            stored.forEachRemaining(kv -> inRange.put(kv.key, kv.value));
        }
        changed.forEach((key, value) -> {
            Comparable<K> comparable = (Comparable<K>) key;
            if (comparable.compareTo(from) >= 0 && comparable.compareTo(to) <= 0) {
                if (value == null) {
                    inRange.remove(key);
                } else {
                    inRange.put(key, value);
                }
            }
        });
        List<KeyValue<K, V>> entries = new ArrayList<>();
        inRange.forEach((key, value) -> entries.add(KeyValue.pair(key, value)));
        return entries;
    }

    /** Everything held, written or not yet (reads the underlying store: for start-up, not per record). */
    public List<KeyValue<K, V>> all() {
        Map<K, V> all = new LinkedHashMap<>();
        try (KeyValueIterator<K, V> stored = written.all()) {
            stored.forEachRemaining(kv -> all.put(kv.key, kv.value));
        }
        changed.forEach((key, value) -> {
            if (value == null) {
                all.remove(key);
            } else {
                all.put(key, value);
            }
        });
        List<KeyValue<K, V>> entries = new ArrayList<>();
        all.forEach((key, value) -> entries.add(KeyValue.pair(key, value)));
        return entries;
    }

    /** Called by Kafka Streams when the task prepares a commit: writes what changed. */
    @Override
    public void flushCache() {
        changed.forEach((key, value) -> {
            if (value == null) {
                written.delete(key);
            } else {
                written.put(key, value);
            }
        });
        changed.clear();
        commits++;
        var eldest = live.entrySet().iterator();
        for (int excess = live.size() - keepAtMost; excess > 0; excess--) {
            eldest.next();
            eldest.remove();
        }
    }

    /** Called when the store is about to be written to directly (a task recycled): forget what is live. */
    @Override
    public void clearCache() {
        live.clear();
        changed.clear();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false;
    }

    /**
     * How many commits found changes not yet written: none while Kafka Streams calls {@link #flushCache}
     * before each commit, as it does for its own caches (rule 1).
     */
    public long lateWrites() {
        return lateWrites;
    }

    /** After the commit; nothing should be left to write, unless Kafka Streams stopped calling {@link #flushCache}. */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        if (!changed.isEmpty()) {
            lateWrites++;
            flushCache();
        }
        written.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return written.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return written.managesOffsets();
    }

    @Override
    public String name() {
        return written.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        written.init(context, root);
    }

    @Override
    public void close() {
        live.clear();
        changed.clear();
        written.close();
    }

    @Override
    public boolean persistent() {
        return written.persistent();
    }

    @Override
    public boolean isOpen() {
        return written.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return written.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return written.getPosition();
    }

    /**
     * Refuses a topology in which a processor using one of {@code liveStores} has, upstream of it in
     * its sub-topology, a processor using any other store (rule 3). Other stores are refused whether
     * cached or not, because a topology does not say which are.
     */
    public static void requireNoOtherStoreUpstream(TopologyDescription topology, Set<String> liveStores) {
        for (TopologyDescription.Subtopology sub : topology.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (!(node instanceof TopologyDescription.Processor processor)
                        || processor.stores().stream().noneMatch(liveStores::contains)) {
                    continue;
                }
                Deque<TopologyDescription.Node> upstream = new ArrayDeque<>(node.predecessors());
                Set<TopologyDescription.Node> seen = new HashSet<>();
                while (!upstream.isEmpty()) {
                    TopologyDescription.Node before = upstream.pop();
                    if (!seen.add(before)) {
                        continue;
                    }
                    if (before instanceof TopologyDescription.Processor p) {
                        for (String store : p.stores()) {
                            if (!liveStores.contains(store)) {
                                throw new IllegalStateException("store " + store + " (step " + p.name() + ") is upstream of "
                                        + "the live state of step " + processor.name() + " in one task: what it forwards "
                                        + "while caches are flushed would miss the commit; see LiveState");
                            }
                        }
                    }
                    upstream.addAll(before.predecessors());
                }
            }
        }
    }

    private record Builder<K, V>(StoreBuilder<KeyValueStore<K, V>> written, int keepAtMost)
            implements StoreBuilder<LiveState<K, V>> {

        @Override
        public StoreBuilder<LiveState<K, V>> withCachingEnabled() {
            throw new UnsupportedOperationException("LiveState is the cache of " + written.name());
        }

        @Override
        public StoreBuilder<LiveState<K, V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<LiveState<K, V>> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(written.withLoggingEnabled(config), keepAtMost);
        }

        @Override
        public StoreBuilder<LiveState<K, V>> withLoggingDisabled() {
            return new Builder<>(written.withLoggingDisabled(), keepAtMost);
        }

        @Override
        public LiveState<K, V> build() {
            if (!written.loggingEnabled()) {
                throw new IllegalStateException("LiveState " + written.name() + " must write to a logged store: "
                        + "its changelog is what survives a crash");
            }
            KeyValueStore<K, V> store = written.build();
            for (StateStore layer = store; layer instanceof WrappedStateStore<?, ?, ?> wrapped; layer = wrapped.wrapped()) {
                if (layer instanceof CachingKeyValueStore) {
                    throw new IllegalStateException("LiveState " + written.name() + " must write to a store without "
                            + "Kafka's cache: it is that store's cache");
                }
            }
            return new LiveState<>(store, keepAtMost);
        }

        @Override
        public Map<String, String> logConfig() {
            return written.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return written.loggingEnabled();
        }

        @Override
        public String name() {
            return written.name();
        }
    }
}
