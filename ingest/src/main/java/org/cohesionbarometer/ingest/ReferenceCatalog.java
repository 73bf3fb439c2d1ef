package org.cohesionbarometer.ingest;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.BackgroundGroup;
import org.cohesionbarometer.schemas.reference.Kiosk;
import org.cohesionbarometer.schemas.reference.City;
import org.cohesionbarometer.schemas.reference.Neighbourhood;
import org.cohesionbarometer.schemas.reference.OrganiserToken;
import org.cohesionbarometer.schemas.wire.ConfluentAvroDeserializer;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The city's reference data as the ingest API knows it: neighbourhoods, activities, kiosks, the
 * group taxonomy and the hashes of organisers' tokens, followed from their compacted topics (the
 * single source of truth), so that every ingest instance validates against the same data. Writes
 * through the admin API are applied here as soon as Kafka acknowledged them.
 */
public class ReferenceCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceCatalog.class);

    private final Map<String, Neighbourhood> neighbourhoods = new ConcurrentHashMap<>();
    private final Map<String, City> cities = new ConcurrentHashMap<>();
    private final Map<String, Activity> activities = new ConcurrentHashMap<>();
    private final Map<String, Kiosk> kiosks = new ConcurrentHashMap<>();
    private final Map<String, BackgroundGroup> groups = new ConcurrentHashMap<>();
    private final Map<String, OrganiserToken> tokens = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final RegistrySerdes serdes;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread follower;
    private volatile boolean running = true;

    public ReferenceCatalog(String bootstrapServers, RegistrySerdes serdes) {
        this(org.cohesionbarometer.schemas.KafkaEndpoints.of(bootstrapServers, serdes.registry().baseUrl()), serdes);
    }

    /** Follows the reference topics as the service's own Kafka principal ({@code kafka.login()}). */
    public ReferenceCatalog(org.cohesionbarometer.schemas.KafkaEndpoints kafka, RegistrySerdes serdes) {
        this.serdes = serdes;
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.follower = new Thread(this::follow, "reference-catalog");
        this.follower.setDaemon(true);
    }

    /** Starts following the reference topics and waits until what they held at start is loaded. */
    public ReferenceCatalog start(Duration timeout) {
        follower.start();
        try {
            if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Reference data not fully loaded within {}; validation will catch up", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    private void follow() {
        var neighbourhoodReader = new ConfluentAvroDeserializer<>(Neighbourhood.class, serdes.registry());
        var activityReader = new ConfluentAvroDeserializer<>(Activity.class, serdes.registry());
        var kioskReader = new ConfluentAvroDeserializer<>(Kiosk.class, serdes.registry());
        var groupReader = new ConfluentAvroDeserializer<>(BackgroundGroup.class, serdes.registry());
        var tokenReader = new ConfluentAvroDeserializer<>(OrganiserToken.class, serdes.registry());
        var cityReader = new ConfluentAvroDeserializer<>(City.class, serdes.registry());
        try {
            List<TopicPartition> partitions = java.util.Arrays.stream(Topics.REFERENCE)
                    .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        switch (record.topic()) {
                            case Topics.NEIGHBOURHOODS -> apply(neighbourhoods, record.key(),
                                    neighbourhoodReader.deserialize(record.topic(), record.value()));
                            case Topics.ACTIVITIES -> apply(activities, record.key(),
                                    activityReader.deserialize(record.topic(), record.value()));
                            case Topics.KIOSKS -> apply(kiosks, record.key(),
                                    kioskReader.deserialize(record.topic(), record.value()));
                            case Topics.GROUPS -> apply(groups, record.key(),
                                    groupReader.deserialize(record.topic(), record.value()));
                            case Topics.CITIES -> apply(cities, record.key(),
                                    cityReader.deserialize(record.topic(), record.value()));
                            case Topics.ORGANISER_TOKENS -> apply(tokens, record.key(),
                                    tokenReader.deserialize(record.topic(), record.value()));
                            default -> { }
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("Skipping unreadable reference record {} on {}: {}", record.key(), record.topic(), e.getMessage());
                    }
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Reference catalog stopped following Kafka: {}", e.getMessage(), e);
        } finally {
            caughtUp.countDown();
            consumer.close();
        }
    }

    private static <T extends SpecificRecord> void apply(Map<String, T> map, String key, T value) {
        if (value == null) {
            map.remove(key); // tombstone
        } else {
            map.put(key, value);
        }
    }

    public Optional<Activity> activity(String id) {
        return Optional.ofNullable(activities.get(id));
    }

    public Optional<Kiosk> kiosk(String id) {
        return Optional.ofNullable(kiosks.get(id));
    }

    public Optional<Neighbourhood> neighbourhood(String id) {
        return Optional.ofNullable(neighbourhoods.get(id));
    }

    /**
     * Whether a group code belongs to the city's taxonomy. A city that has not declared a
     * taxonomy accepts any well-formed code.
     */
    public boolean knowsGroup(String code) {
        return groups.isEmpty() || groups.containsKey(code);
    }

    public Optional<OrganiserToken> token(String tokenId) {
        return Optional.ofNullable(tokens.get(tokenId));
    }

    /** An organiser's tokens, revoked ones included, oldest first. */
    public List<OrganiserToken> tokensOf(String organiserId) {
        return tokens.values().stream().filter(t -> t.getOrganiserId().equals(organiserId))
                .sorted(Comparator.comparing(OrganiserToken::getIssuedAt)).toList();
    }

    public List<BackgroundGroup> groups() {
        return List.copyOf(groups.values());
    }

    public List<Neighbourhood> neighbourhoods() {
        return List.copyOf(neighbourhoods.values());
    }

    public List<Activity> activities() {
        return List.copyOf(activities.values());
    }

    public List<Kiosk> kiosks() {
        return List.copyOf(kiosks.values());
    }

    public List<City> cities() {
        return List.copyOf(cities.values());
    }

    void stored(City c) {
        cities.put(c.getId(), c);
    }

    void stored(Neighbourhood n) {
        neighbourhoods.put(n.getId(), n);
    }

    void stored(Activity a) {
        activities.put(a.getId(), a);
    }

    void stored(Kiosk k) {
        kiosks.put(k.getId(), k);
    }

    void stored(BackgroundGroup g) {
        groups.put(g.getCode(), g);
    }

    void stored(OrganiserToken t) {
        tokens.put(t.getTokenId(), t);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            follower.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
