package org.cohesionbarometer.allinone.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.cohesionbarometer.clients.simulator.CitySimulator;
import org.cohesionbarometer.clients.simulator.DemoCity;
import org.cohesionbarometer.infra.FreePort;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The kill drill (docs/operations.md): Kafka, the schema registry and PostgreSQL run in this JVM, and
 * ingest, streams and sink each as a process of its own under steady load through the API. Each cycle
 * kills one service, chosen at random, with kill -9 and starts it again at once, as a supervisor does,
 * and measures its recovery: from the restart until the database holds every check-in the API had
 * accepted when it first accepted one again. At the end the database's count is compared with what the
 * API accepted: losses and duplicates must both be 0.
 */
@Command(name = "drill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The kill drill: ingest, streams and sink as processes under steady load, one of them killed "
                + "with kill -9 and restarted each cycle; reports losses, duplicates and recovery times (p50, p99)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:no loss, no duplicate", "1:losses or duplicates, or a failure"})
public final class KillDrill implements Callable<Integer> {
    private static final List<String> SERVICES = List.of("ingest", "streams", "sink");

    @Option(names = "--cycles", defaultValue = "100", description = "kill -9 cycles (default ${DEFAULT-VALUE})")
    int cycles;

    @Option(names = "--duration", defaultValue = "PT20M",
            description = "stop killing after this long even if cycles remain (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--rate", defaultValue = "20", description = "check-ins per second (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--seed", defaultValue = "18", description = "random seed: which service each cycle kills (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--work-dir", description = "where the brokers' data and the services' logs go (default: a new temporary directory)")
    Path workDir;

    /** What a drill found. */
    public record Result(long accepted, long stored, List<Recovery> recoveries) {
        public long losses() {
            return Math.max(0, accepted - stored);
        }

        public long duplicates() {
            return Math.max(0, stored - accepted);
        }

        public double percentile(double p) {
            List<Double> seconds = recoveries.stream().map(r -> r.time().toMillis() / 1000.0).sorted().toList();
            if (seconds.isEmpty()) {
                return Double.NaN;
            }
            return seconds.get((int) Math.min(seconds.size() - 1, Math.ceil(p / 100.0 * seconds.size()) - 1));
        }

        @Override
        public String toString() {
            Map<String, List<Double>> byService = new LinkedHashMap<>();
            for (Recovery r : recoveries) {
                byService.computeIfAbsent(r.service(), s -> new ArrayList<>()).add(r.time().toMillis() / 1000.0);
            }
            StringBuilder text = new StringBuilder(String.format(
                    "%d kill -9 cycles; check-ins accepted by the API %d, in the database %d: losses %d, duplicates %d; "
                            + "recovery p50 %.1f s, p99 %.1f s, max %.1f s", recoveries.size(), accepted, stored, losses(),
                    duplicates(), percentile(50), percentile(99), percentile(100)));
            byService.forEach((service, times) -> text.append(String.format("%n  %-7s killed %3d times, recovery %s s",
                    service, times.size(), times.stream().sorted().map(t -> String.format("%.1f", t)).toList())));
            return text.toString();
        }
    }

    /** One kill: the service, and how long from its restart until the database held what the API had accepted. */
    public record Recovery(String service, Duration time) {
    }

    @Override
    public Integer call() throws Exception {
        Result result = run(workDir != null ? workDir : Files.createTempDirectory("barometer-drill"), cycles, duration, rate,
                new Random(seed), line -> System.out.println(line));
        System.out.println(result);
        return result.losses() == 0 && result.duplicates() == 0 ? 0 : 1;
    }

    /** Runs the drill in {@code dir}; {@code progress} gets a line per cycle. */
    public static Result run(Path dir, int cycles, Duration duration, int rate, Random random,
                             java.util.function.Consumer<String> progress) throws Exception {
        Files.createDirectories(dir);
        try (InJvmKafka kafka = InJvmKafka.start(dir.resolve("kafka"), 0);
             SchemaRegistryServer registry = new SchemaRegistryServer(new RegisteredSchemas(dir.resolve("registry/schemas.jsonl")))
                     .start("localhost", 0);
             InJvmPostgres postgres = InJvmPostgres.start(dir.resolve("postgres"), 0)) {
            kafka.createBarometerTopics(3);
            if (postgres.queryForLong("SELECT count(*) FROM pg_database WHERE datname = 'barometer'") == 0) {
                try (Connection db = postgres.connect()) {
                    db.createStatement().execute("CREATE DATABASE barometer");
                }
            }
            String jdbcUrl = "jdbc:postgresql://localhost:" + postgres.port() + "/barometer";
            int[] ports = FreePort.pick(4);
            int ingestPort = ports[0];
            String ingestUrl = "http://127.0.0.1:" + ingestPort;
            String admin = "drill-admin-token-" + Long.toHexString(random.nextLong());
            Map<String, String> common = Map.of("BAROMETER_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "BAROMETER_SCHEMA_REGISTRY_URL", registry.url(), "BAROMETER_INSTANCE_ID", "drill");
            Map<String, ServiceProcess> services = new LinkedHashMap<>();
            services.put("ingest", new ServiceProcess("ingest", "org.cohesionbarometer.ingest.IngestApp", with(common,
                    "BAROMETER_INGEST_HOST", "127.0.0.1", "BAROMETER_INGEST_PORT", String.valueOf(ingestPort),
                    "BAROMETER_ADMIN_TOKEN", admin, "BAROMETER_INGEST_RATE_LIMIT_PER_MINUTE", "1000000",
                    "BAROMETER_INGEST_RATE_LIMIT_BURST", "100000", "BAROMETER_METRICS_PORT", String.valueOf(ports[1])),
                    dir.resolve("ingest.log")));
            services.put("streams", new ServiceProcess("streams", "org.cohesionbarometer.streams.CohesionStreamsApp", with(common,
                    "BAROMETER_STREAMS_STATE_DIR", dir.resolve("streams").toString(), "BAROMETER_REPLICATION_FACTOR", "1",
                    "BAROMETER_METRICS_PORT", String.valueOf(ports[2])),
                    dir.resolve("streams.log")));
            services.put("sink", new ServiceProcess("sink", "org.cohesionbarometer.sink.SinkApp", with(common,
                    "BAROMETER_JDBC_URL", jdbcUrl, "BAROMETER_JDBC_USER", postgres.user(), "BAROMETER_JDBC_PASSWORD",
                    postgres.password(), "BAROMETER_METRICS_PORT", String.valueOf(ports[3])), dir.resolve("sink.log")));
            for (ServiceProcess service : services.values()) {
                service.start();
            }
            DemoCity city = DemoCity.riverton(Instant.now());
            seed(new CitySimulator(ingestUrl, admin, city, 0, Clock.systemUTC(), 1), Instant.now().plus(Duration.ofMinutes(3)));
            List<String> activities = city.quarters().stream().flatMap(q -> q.activities().stream())
                    .filter(v -> v.startsAt().isBefore(Instant.now())).map(DemoCity.Venture::id).toList();
            SteadyLoad load = new SteadyLoad(ingestUrl, admin, activities, rate);
            Thread loader = new Thread(load, "drill-load");
            loader.start();
            try {
                Database database = new Database(jdbcUrl, postgres.user(), postgres.password());
                Instant begun = Instant.now();
                until(() -> database.checkIns() > 0, Duration.ofMinutes(5), "the first indicator rows");
                progress.accept("steady: first rows after " + Duration.between(begun, Instant.now()).toSeconds() + " s");
                List<Recovery> recoveries = new ArrayList<>();
                Instant deadline = Instant.now().plus(duration);
                for (int cycle = 1; cycle <= cycles && Instant.now().isBefore(deadline); cycle++) {
                    ServiceProcess victim = services.get(SERVICES.get(random.nextInt(SERVICES.size())));
                    victim.kill();
                    Instant restarted = victim.start();
                    Duration recovery = recovery(load, database, restarted);
                    recoveries.add(new Recovery(victim.name(), recovery));
                    progress.accept(String.format("cycle %d: %s killed, recovered in %.1f s (accepted %d, retries %d)", cycle,
                            victim.name(), recovery.toMillis() / 1000.0, load.accepted(), load.retries()));
                    Thread.sleep(500 + random.nextInt(1500));
                }
                load.stop();
                loader.join(60_000);
                long accepted = load.accepted();
                Instant settled = Instant.now().plus(Duration.ofMinutes(3));
                long stored = database.checkIns();
                while (stored != accepted && Instant.now().isBefore(settled)) {
                    Thread.sleep(1000);
                    stored = database.checkIns();
                }
                Thread.sleep(3000); // anything still in flight would show as a duplicate
                return new Result(accepted, database.checkIns(), recoveries);
            } finally {
                load.stop();
                loader.interrupt();
                for (ServiceProcess service : services.values()) {
                    service.stop();
                }
            }
        }
    }

    /** From the restart until the database holds every check-in the API had accepted when it first accepted one after the restart. */
    private static Duration recovery(SteadyLoad load, Database database, Instant restarted) throws Exception {
        until(() -> load.lastAccepted().isAfter(restarted), Duration.ofMinutes(5), "the API to accept check-ins again");
        long target = load.accepted();
        until(() -> database.checkIns() >= target, Duration.ofMinutes(5), target + " check-ins in the database");
        return Duration.between(restarted, Instant.now());
    }

    private static void seed(CitySimulator city, Instant giveUp) throws Exception {
        while (true) {
            try {
                city.seed();
                return;
            } catch (IOException notYet) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new IOException("the ingest API did not take the demo city's reference data: " + notYet.getMessage(), notYet);
                }
                Thread.sleep(500);
            }
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void until(Condition condition, Duration atMost, String what) throws Exception {
        Instant giveUp = Instant.now().plus(atMost);
        while (!condition.holds()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("no " + what + " within " + atMost.toMinutes() + " minutes (the services' "
                        + "logs are ingest.log, streams.log and sink.log in the drill's work directory)");
            }
            Thread.sleep(100);
        }
    }

    private static Map<String, String> with(Map<String, String> common, String... pairs) {
        Map<String, String> all = new LinkedHashMap<>(common);
        for (int i = 0; i < pairs.length; i += 2) {
            all.put(pairs[i], pairs[i + 1]);
        }
        return all;
    }

    /** The check-ins the sink has written, over every neighbourhood-hour. */
    private record Database(String url, String user, String password) {
        long checkIns() {
            try (Connection db = DriverManager.getConnection(url, user, password);
                 ResultSet rs = db.createStatement().executeQuery(
                         "SELECT coalesce(sum(check_ins), 0) FROM neighbourhood_hourly WHERE activity_id = ''")) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException notYet) {
                return 0; // the sink has not migrated the database yet
            }
        }
    }

    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new KillDrill()).execute(args));
    }
}
