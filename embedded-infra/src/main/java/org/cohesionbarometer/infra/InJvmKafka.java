package org.cohesionbarometer.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.cohesionbarometer.schemas.SignalAge;
import org.cohesionbarometer.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka in KRaft mode — one combined broker and controller, Apache Kafka's
 * own {@code KafkaRaftServer} with a production configuration — inside this JVM. With a data
 * directory it keeps its logs there and a restart resumes them; without one it lives in a
 * temporary directory deleted on close. With a fixed client port a stopped broker comes back
 * where its clients expect it, as a production broker restarts.
 */
public final class InJvmKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InJvmKafka.class);
    /** Fixed so that a restarted embedded broker recognises its own formatted log directory. */
    private static final String CLUSTER_ID = "Y29oZXNpb24tYmFyb20";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final Path logDir;
    private final boolean temporary;
    private final String bootstrapServers;
    private final Map<String, Object> adminLogin;

    private InJvmKafka(KafkaRaftServer server, Path logDir, boolean temporary, String bootstrapServers,
                       Map<String, Object> adminLogin) {
        this.server = server;
        this.logDir = logDir;
        this.temporary = temporary;
        this.bootstrapServers = bootstrapServers;
        this.adminLogin = adminLogin;
    }

    /**
     * How the production broker of docker-compose.yml (deploy/kafka/start.sh) authenticates and
     * authorises, for a broker in this JVM: clients log in with SCRAM-SHA-512 over TLS (the broker's
     * key and certificate in a PKCS12 {@code keystore}; the broker and its clients trust the
     * certificates in {@code truststorePem}), the combined controller with PLAIN on a
     * loopback listener of its own, and Kafka's StandardAuthorizer allows nothing that no ACL
     * allows. {@code adminUser} is the one super user, made when the log directory is formatted; every
     * other principal is made with {@code Admin.alterUserScramCredentials} and given its ACLs.
     */
    public record Security(String adminUser, String adminPassword, Path keystore, String keystorePassword, Path truststorePem) {
        /** The admin's client settings: SCRAM-SHA-512 over TLS. */
        public Map<String, Object> adminLogin() {
            return Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                    "sasl.jaas.config", scramJaas(adminUser, adminPassword),
                    "ssl.truststore.type", "PEM", "ssl.truststore.location", truststorePem.toString());
        }
    }

    /** A throw-away broker for tests that authenticates and authorises as the production one does. */
    public static InJvmKafka startSecured(Security security) {
        return start(null, 0, security);
    }

    /** A throw-away broker for tests. */
    public static InJvmKafka startTemporary() {
        return start(null);
    }

    /** A broker keeping its logs under {@code dataDir} (null for a temporary directory). */
    public static InJvmKafka start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * A broker keeping its logs under {@code dataDir} (null: a temporary directory) and listening
     * for clients on {@code port} (0: any free port).
     */
    /** How long the controller keeps a broker that stopped sending heartbeats (Kafka's default: 9 s). */
    static final java.time.Duration BROKER_SESSION = java.time.Duration.ofSeconds(4);

    public static InJvmKafka start(Path dataDir, int port) {
        return start(dataDir, port, null);
    }

    private static InJvmKafka start(Path dataDir, int port, Security security) {
        try {
            boolean temporary = dataDir == null;
            Path logDir = temporary ? Files.createTempDirectory("in-jvm-kafka") : dataDir.resolve("kraft");
            Files.createDirectories(logDir);
            int[] free = FreePort.pick(2);
            int clientPort = port != 0 ? port : free[0];
            int controllerPort = free[1] != clientPort ? free[1] : free[0]; // never the clients' port
            Map<String, Object> props = new HashMap<>();
            props.put("process.roles", "broker,controller");
            props.put("node.id", String.valueOf(NODE_ID));
            props.put("listeners", "PLAINTEXT://localhost:" + clientPort + "," + CONTROLLER + "://localhost:" + controllerPort);
            if (security != null) {
                secure(props, security, clientPort, controllerPort);
            }
            props.put("controller.listener.names", CONTROLLER);
            props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
            props.put("log.dirs", logDir.toString());
            // One broker: every internal topic has one replica.
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "3");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            // Few partitions of the transaction log (50 by default): after a crash each is recovered before
            // the broker answers, which took ~10 s of a restart on a loaded 2-core machine.
            props.put("transaction.state.log.num.partitions", "3");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            // After a crash the restarted node's controller gives the dead broker's registration a fresh
            // session and refuses the new one (DUPLICATE_BROKER_REGISTRATION) until it expires: 9 s of
            // every restart by default. The node is its own controller, so heartbeats never cross a network.
            props.put("broker.session.timeout.ms", String.valueOf(BROKER_SESSION.toMillis()));
            props.put("broker.heartbeat.interval.ms", String.valueOf(BROKER_SESSION.dividedBy(8).toMillis()));
            props.put("auto.create.topics.enable", "false");
            KafkaConfig config = new KafkaConfig(props, false);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setNodeId(NODE_ID)
                        .setClusterId(CLUSTER_ID)
                        .addDirectory(logDir.toString())
                        .setMetadataLogDirectory(logDir.toString())
                        .setControllerListenerName(CONTROLLER)
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setScramArguments(security == null ? List.of()
                                : List.of("SCRAM-SHA-512=[name=" + security.adminUser() + ",password=" + security.adminPassword() + "]"))
                        .run();
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = "localhost:" + clientPort;
            LOG.info("In-JVM Kafka broker listening on {}{}, logs in {}", bootstrap,
                    security == null ? "" : " (SASL_SSL, SCRAM-SHA-512, ACLs)", logDir);
            return new InJvmKafka(server, logDir, temporary, bootstrap,
                    security == null ? Map.of() : security.adminLogin());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-JVM Kafka broker: " + e.getMessage(), e);
        }
    }

    /** The settings of production's deploy/kafka/start.sh, for a broker on loopback. */
    private static void secure(Map<String, Object> props, Security security, int clientPort, int controllerPort) {
        String controllerPassword = java.util.UUID.randomUUID().toString();
        props.put("listeners", "BROKER://localhost:" + clientPort + "," + CONTROLLER + "://localhost:" + controllerPort);
        props.put("listener.security.protocol.map", "BROKER:SASL_SSL," + CONTROLLER + ":SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "BROKER");
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        props.put("listener.name.broker.scram-sha-512.sasl.jaas.config", scramJaas(security.adminUser(), security.adminPassword()));
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"controller\" password=\""
                        + controllerPassword + "\" user_controller=\"" + controllerPassword + "\";");
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", security.keystore().toString());
        props.put("ssl.keystore.password", security.keystorePassword());
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", security.truststorePem().toString());
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", "User:" + security.adminUser() + ";User:controller");
    }

    private static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** An admin client; on a secured broker, logged in as its super user. */
    public Admin admin() {
        Map<String, Object> props = new HashMap<>(adminLogin);
        props.put("bootstrap.servers", bootstrapServers());
        return Admin.create(props);
    }

    /**
     * Creates the barometer's topics if they do not exist: signals and indicators with the given
     * number of partitions, reference data compacted, and those stamped with event time kept as
     * long as {@link SignalAge#DEFAULT} needs.
     */
    public void createBarometerTopics(int partitions) {
        createBarometerTopics(partitions, SignalAge.DEFAULT);
    }

    /**
     * Creates the barometer's topics if they do not exist, and makes sure those stamped with event
     * time (signals, indicators, dead letters) keep their records for {@link SignalAge#topicRetention()}
     * (topics made by an earlier version, with the broker's seven days, are changed).
     */
    public void createBarometerTopics(int partitions, SignalAge age) {
        Map<String, String> eventTime = Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(age.topicRetention().toMillis()));
        List<NewTopic> topics = new ArrayList<>();
        for (String signal : Topics.SIGNALS) {
            topics.add(new NewTopic(signal, partitions, (short) 1).configs(eventTime));
        }
        for (String reference : Topics.REFERENCE) {
            topics.add(new NewTopic(reference, partitions, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        for (String indicators : Topics.INDICATORS) {
            topics.add(new NewTopic(indicators, partitions, (short) 1).configs(eventTime));
        }
        topics.add(new NewTopic(Topics.CITY_INDICATORS, 1, (short) 1).configs(eventTime));
        topics.add(new NewTopic(Topics.DEAD_LETTERS, 1, (short) 1).configs(eventTime));
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            admin.createTopics(missing).all().get();
            Map<ConfigResource, Collection<AlterConfigOp>> keepLonger = new HashMap<>();
            topics.stream().filter(t -> existing.contains(t.name()) && t.configs().containsKey(TopicConfig.RETENTION_MS_CONFIG))
                    .forEach(t -> keepLonger.put(new ConfigResource(ConfigResource.Type.TOPIC, t.name()), List.of(new AlterConfigOp(
                            new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, eventTime.get(TopicConfig.RETENTION_MS_CONFIG)),
                            AlterConfigOp.OpType.SET))));
            if (!keepLonger.isEmpty()) {
                admin.incrementalAlterConfigs(keepLonger).all().get();
            }
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
        server.shutdown();
        server.awaitShutdown();
        if (temporary) {
            try (var files = Files.walk(logDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                LOG.warn("Could not delete the temporary Kafka logs in {}", logDir, e);
            }
        }
    }
}
