package org.cohesionbarometer.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.cohesionbarometer.schemas.Topics;

/**
 * A real single-node KRaft Kafka cluster (one combined broker and controller) inside this JVM,
 * from Apache Kafka's own test kit. With a data directory it keeps its logs there and a restart
 * resumes them; without one it lives in a temporary directory deleted on close.
 */
public final class InJvmKafka implements AutoCloseable {
    /** Fixed so that a restarted embedded broker recognises its own formatted log directory. */
    private static final String CLUSTER_ID = "Y29oZXNpb24tYmFyb20";

    private final KafkaClusterTestKit cluster;

    private InJvmKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** A throw-away broker for tests. */
    public static InJvmKafka startTemporary() {
        return start(null);
    }

    /** A broker keeping its logs under {@code dataDir} (null for a temporary directory). */
    public static InJvmKafka start(Path dataDir) {
        try {
            TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setClusterId(CLUSTER_ID);
            boolean resume = false;
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                resume = hasFormattedLogs(dataDir);
                nodes.setBaseDirectory(dataDir);
            }
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes.build())
                    .setDeleteOnClose(dataDir == null)
                    // One broker: every internal topic has one replica.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "3")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                    .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            if (!resume) {
                cluster.format();
            }
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new InJvmKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-JVM Kafka broker: " + e.getMessage(), e);
        }
    }

    private static boolean hasFormattedLogs(Path dataDir) throws java.io.IOException {
        try (var files = Files.walk(dataDir, 4)) {
            return files.anyMatch(p -> p.getFileName().toString().equals("meta.properties"));
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
    }

    /**
     * Creates the barometer's topics if they do not exist: signals and indicators with the given
     * number of partitions, reference data compacted.
     */
    public void createBarometerTopics(int partitions) {
        List<NewTopic> topics = new ArrayList<>();
        for (String signal : Topics.SIGNALS) {
            topics.add(new NewTopic(signal, partitions, (short) 1));
        }
        for (String reference : Topics.REFERENCE) {
            topics.add(new NewTopic(reference, partitions, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        for (String indicators : Topics.INDICATORS) {
            topics.add(new NewTopic(indicators, partitions, (short) 1));
        }
        topics.add(new NewTopic(Topics.CITY_INDICATORS, 1, (short) 1));
        topics.add(new NewTopic(Topics.DEAD_LETTERS, 1, (short) 1));
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the barometer's topics", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the in-JVM Kafka broker", e);
        }
    }
}
