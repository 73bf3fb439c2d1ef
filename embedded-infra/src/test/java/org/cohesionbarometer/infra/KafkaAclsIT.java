package org.cohesionbarometer.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Kafka as production runs it (docs/security.md): a broker configured as deploy/kafka/start.sh
 * configures docker-compose's (SCRAM-SHA-512 over TLS, StandardAuthorizer, nothing allowed that no
 * ACL allows), with a throw-away key and certificate made here, each service's user made with
 * {@code Admin.alterUserScramCredentials} and the ACLs of deploy/kafka/acls. Every client logs in as
 * a service does, from the service's environment ({@link KafkaEndpoints#fromEnvironment}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAclsIT {
    private static final Path ACLS = Path.of(System.getProperty("user.dir")).getParent().resolve("deploy/kafka/acls");
    private static final List<String> SERVICES = List.of("ingest", "streams", "sink", "schema-registry");
    /** Someone on the Kafka network with a valid login but no ACL (a compromised Grafana, a stray tool). */
    private static final String STRANGER = "stranger";

    private final Path tls;
    private final Path truststore;
    private final InJvmKafka kafka;
    private final Map<String, String> passwords = new HashMap<>();

    KafkaAclsIT() throws Exception {
        tls = Files.createTempDirectory("kafka-tls");
        String storePassword = UUID.randomUUID().toString();
        Path keystore = tls.resolve("broker.p12");
        truststore = tls.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", storePassword);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-file", truststore.toString(),
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", storePassword);
        kafka = InJvmKafka.startSecured(new InJvmKafka.Security("admin", UUID.randomUUID().toString(), keystore, storePassword,
                truststore));
        kafka.createBarometerTopics(2);
        try (Admin admin = kafka.admin()) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            for (String user : concat(SERVICES, STRANGER)) {
                passwords.put(user, UUID.randomUUID().toString());
                users.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        passwords.get(user)));
            }
            admin.alterUserScramCredentials(List.copyOf(users)).all().get();
            admin.createAcls(productionAcls()).all().get();
        }
        for (String user : concat(SERVICES, STRANGER)) {
            loggedIn(user);
        }
    }

    /** Waits until the broker knows the user's login: a new credential reaches it through the metadata log, a moment later. */
    private void loggedIn(String user) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Admin admin = Admin.create(clientOf(user))) {
                admin.describeCluster().clusterId().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    void onlyTheIngestServiceWritesOrganisersTokens() throws Exception {
        send("ingest", Topics.ORGANISER_TOKENS, "organiser-1", "sha-256 of a secret");

        for (String other : List.of(STRANGER, "streams", "sink", "schema-registry")) {
            assertThatThrownBy(() -> send(other, Topics.ORGANISER_TOKENS, "organiser-1", "a forged hash"))
                    .as(other + " forging a token").satisfies(KafkaAclsIT::isRefusedByAnAcl);
        }
        assertThat(read("ingest", Topics.ORGANISER_TOKENS)).containsExactly("sha-256 of a secret");
    }

    @Test
    void onlyTheIngestServiceWritesSignalsAndOnlyStreamsAndTheSinksFeedReadThem() throws Exception {
        for (String signals : Topics.SIGNALS) {
            send("ingest", signals, "p-1", "a signal on " + signals);
            assertThatThrownBy(() -> send(STRANGER, signals, "p-1", "a made-up signal"))
                    .as("a stranger writing " + signals).satisfies(KafkaAclsIT::isRefusedByAnAcl);
            assertThatThrownBy(() -> read(STRANGER, signals)).as("a stranger reading " + signals)
                    .isInstanceOf(AuthorizationException.class);
            assertThatThrownBy(() -> read("schema-registry", signals)).isInstanceOf(AuthorizationException.class);
            assertThat(read("streams", signals)).contains("a signal on " + signals);
        }
    }

    @Test
    void streamsWritesTheIndicatorsAndNoOtherServiceDoes() throws Exception {
        send("streams", Topics.CITY_INDICATORS, "2026-03-14", "a city's day");
        assertThat(read("sink", Topics.CITY_INDICATORS)).containsExactly("a city's day");
        for (String other : List.of(STRANGER, "ingest", "sink")) {
            assertThatThrownBy(() -> send(other, Topics.CITY_INDICATORS, "2026-03-14", "a forged day"))
                    .as(other).satisfies(KafkaAclsIT::isRefusedByAnAcl);
        }
    }

    /**
     * What Kafka Streams does as the streams user, with docker-compose's application id: its
     * internal topics, an exactly-once transaction that reads signals in its group and writes
     * indicators, and no write where its ACLs give none.
     */
    @Test
    void streamsOwnsItsInternalTopicsTransactionsAndGroup() throws Exception {
        String application = "cohesion-barometer-indicators";
        try (Admin admin = Admin.create(clientOf("streams"))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(
                    application + "-participant-memory-changelog", 1, (short) 1))).all().get();
        }
        Map<String, Object> props = clientOf("streams");
        props.put("transactional.id", application + "-" + UUID.randomUUID() + "-1");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.NEIGHBOURHOOD_INDICATORS, "old-town", "an hour"));
            producer.send(new ProducerRecord<>(application + "-participant-memory-changelog", "p-1", "seen"));
            producer.sendOffsetsToTransaction(Map.of(new TopicPartition(Topics.CHECK_INS, 0),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)), new org.apache.kafka.clients.consumer.ConsumerGroupMetadata(application));
            producer.commitTransaction();
        }
        Map<String, Object> other = clientOf("streams");
        other.put("transactional.id", "another-application-1");
        try (var producer = new KafkaProducer<>(other, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(producer::initTransactions).as("a transactional id outside its application's")
                    .satisfies(KafkaAclsIT::isRefusedByAnAcl);
        }
        assertThat(read("sink", Topics.NEIGHBOURHOOD_INDICATORS)).contains("an hour");
    }

    /** What the sink does as the sink user: its groups, and the lag of the streams' group for pipeline health. */
    @Test
    void theSinkReadsIndicatorsInItsGroupAndSamplesTheStreamsLag() throws Exception {
        for (String group : List.of("cohesion-barometer-sink", "cohesion-barometer-data-quality")) {
            Map<String, Object> props = clientOf("sink");
            props.put("group.id", group);
            props.put("auto.offset.reset", "earliest");
            try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topics.INDICATORS));
                consumer.poll(Duration.ofSeconds(2));
                consumer.commitSync();
            }
        }
        try (Admin admin = Admin.create(clientOf("sink"))) {
            admin.listConsumerGroupOffsets("cohesion-barometer-indicators").partitionsToOffsetAndMetadata().get();
            assertThatThrownBy(() -> admin.listConsumerGroupOffsets("someone-elses-group").partitionsToOffsetAndMetadata().get())
                    .satisfies(KafkaAclsIT::isRefusedByAnAcl);
        }
        send("sink", Topics.DEAD_LETTERS, "refused", "a row the database refused");
    }

    @Test
    void everyServiceMayDescribeTheClusterAsItsReadinessCheckAsks() throws Exception {
        // operations' BrokerReachable asks describeCluster with the service's own client properties
        for (String service : SERVICES) {
            try (Admin admin = Admin.create(clientOf(service))) {
                assertThat(admin.describeCluster().clusterId().get()).as(service).isNotBlank();
            }
        }
    }

    @Test
    void aWrongPasswordIsRefusedAtLogin() {
        Map<String, String> environment = new HashMap<>(environmentOf("ingest"));
        environment.put("BAROMETER_KAFKA_PASSWORD", "a guess");
        Map<String, Object> props = KafkaEndpoints.fromEnvironment(new Environment(environment)).clientProperties();
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.listTopics().names().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    /** What a service's settings say when it runs in docker-compose.yml, pointed at this broker. */
    private Map<String, String> environmentOf(String user) {
        return Map.of("BAROMETER_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                "BAROMETER_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "BAROMETER_KAFKA_USER", user,
                "BAROMETER_KAFKA_PASSWORD", passwords.get(user),
                "BAROMETER_KAFKA_TRUSTSTORE", truststore.toString());
    }

    private Map<String, Object> clientOf(String user) {
        Map<String, Object> props = new HashMap<>(KafkaEndpoints.fromEnvironment(new Environment(environmentOf(user))).clientProperties());
        props.put("max.block.ms", 15_000);
        props.put("default.api.timeout.ms", 15_000);
        props.put("request.timeout.ms", 10_000);
        return props;
    }

    private void send(String user, String topic, String key, String value) throws Exception {
        Map<String, Object> props = clientOf(user);
        props.put("acks", "all");
        props.put("delivery.timeout.ms", 15_000);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Every value on the topic, read without a consumer group (as the ingest's reference catalog reads). */
    private List<String> read(String user, String topic) {
        try (var consumer = new KafkaConsumer<>(clientOf(user), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> values = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }

    /** deploy/kafka/acls, as deploy/kafka/setup.sh gives them to kafka-acls.sh. */
    private static List<AclBinding> productionAcls() throws IOException {
        List<AclBinding> acls = new ArrayList<>();
        for (String line : Files.readAllLines(ACLS)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            assertThat(f).as("principal operation resource-type pattern name: " + line).hasSize(5);
            acls.add(new AclBinding(
                    new ResourcePattern(ResourceType.fromString(f[2]), f[4], PatternType.fromString(f[3])),
                    new AccessControlEntry("User:" + f[0], "*", AclOperation.fromString(f[1]), AclPermissionType.ALLOW)));
        }
        assertThat(acls).extracting(acl -> acl.entry().principal()).as("every service has its ACLs")
                .containsAll(SERVICES.stream().map(s -> "User:" + s).toList());
        assertThat(acls).as("no ACL line was misread").noneMatch(AclBinding::isUnknown);
        return acls;
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }

    private static void isRefusedByAnAcl(Throwable thrown) {
        Throwable cause = thrown;
        while (!(cause instanceof AuthorizationException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).as("refused by the authorizer").isInstanceOf(AuthorizationException.class);
    }

    private static List<String> concat(List<String> list, String one) {
        List<String> all = new ArrayList<>(list);
        all.add(one);
        return all;
    }

    @AfterAll
    void stop() throws IOException {
        kafka.close();
        try (var files = Files.walk(tls)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
