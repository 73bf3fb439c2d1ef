package org.cohesionbarometer.allinone;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.operations.BrokerReachable;
import org.cohesionbarometer.operations.DatabaseReachable;
import org.cohesionbarometer.operations.OperationsServer;
import org.cohesionbarometer.operations.Readiness;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.ingest.IngestApp;
import org.cohesionbarometer.ingest.IngestSettings;
import org.cohesionbarometer.clients.simulator.CitySimulator;
import org.cohesionbarometer.clients.simulator.DemoCity;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.cohesionbarometer.sink.quality.DataQualityFeed;
import org.cohesionbarometer.sink.IndicatorSink;
import org.cohesionbarometer.sink.Migrations;
import org.cohesionbarometer.sink.SinkConfiguration;
import org.cohesionbarometer.sink.SinkSettings;
import org.cohesionbarometer.streams.CohesionStreamsApp;
import org.cohesionbarometer.streams.StreamsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole barometer in one process: a KRaft Kafka broker, the schema registry, PostgreSQL,
 * the ingest API, the streams application and the sink, and (optionally) a simulated city
 * posting signals through the API. Everything keeps its state under one data directory, so a
 * restart resumes where the last run stopped.
 */
public final class EmbeddedBarometer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBarometer.class);

    /** What runs, last started first: pushed from the start-up thread and the database's. */
    private final Deque<AutoCloseable> running = new ConcurrentLinkedDeque<>();
    private boolean closing;
    /** The database's start, which close() waits for: PostgreSQL is a process of its own and would outlive this JVM. */
    private volatile CompletableFuture<Void> databaseStart;
    private final EmbeddedSettings settings;
    private String bootstrapServers;
    private String registryUrl;
    private String jdbcUrl;
    private String jdbcUser;
    private String jdbcPassword;
    private String adminToken;
    private String dashboardPassword;
    private int ingestPort;
    private IndicatorSink sink;
    private OperationsServer operations;
    private CitySimulator simulator;
    private CitySimulator neighbour;

    private EmbeddedBarometer(EmbeddedSettings settings) {
        this.settings = settings;
    }

    public static EmbeddedBarometer start(EmbeddedSettings settings) throws IOException, SQLException {
        EmbeddedBarometer barometer = new EmbeddedBarometer(settings);
        try {
            barometer.startAll();
        } catch (IOException | SQLException | RuntimeException e) {
            barometer.close();
            throw e;
        }
        return barometer;
    }

    private void startAll() throws IOException, SQLException {
        requireFree(settings.kafkaPort(), "BAROMETER_KAFKA_PORT");
        requireFree(settings.ingestPort(), "BAROMETER_INGEST_PORT");
        requireFree(settings.registryPort(), "BAROMETER_REGISTRY_PORT");
        Path data = settings.dataDir();
        if (settings.usesEmbeddedPostgres() && !InJvmPostgres.orphanedServer(data.resolve("postgres")).isPresent()) {
            requireFree(settings.postgresPort(), "BAROMETER_EMBEDDED_PG_PORT");
        }
        Files.createDirectories(data);
        adminToken = settings.adminToken().isBlank() ? secret(data.resolve("admin-token")) : settings.adminToken();

        // The database and the broker start side by side: after a crash both recover (PostgreSQL
        // replays its WAL, the broker its logs), and one waiting for the other doubled the restart.
        Environment env = Environment.system();
        SinkConfiguration sinkSettingsFromEnvironment = SinkConfiguration.fromEnvironment(env);
        long started = System.nanoTime();
        CompletableFuture<Void> database = databaseStart = CompletableFuture.runAsync(() -> {
            try {
                startDatabase(data, sinkSettingsFromEnvironment);
            } catch (IOException | SQLException e) {
                throw new CompletionException(e);
            }
        }, runnable -> new Thread(runnable, "database-start").start());
        try {
            InJvmKafka kafka = InJvmKafka.start(data.resolve("kafka"), settings.kafkaPort());
            started(kafka);
            kafka.createBarometerTopics(settings.partitions());
            bootstrapServers = kafka.bootstrapServers();
            LOG.info("Kafka ready (topics in place) after {} ms", (System.nanoTime() - started) / 1_000_000);

            SchemaRegistryServer registry = new SchemaRegistryServer(new RegisteredSchemas(data.resolve("registry/schemas.jsonl")))
                    .start("localhost", settings.registryPort());
            started(registry);
            registryUrl = registry.url();
        } finally {
            awaitDatabase(database);
        }
        SinkConfiguration sinkConfiguration = sinkSettingsFromEnvironment
                .withEndpoints(bootstrapServers, registryUrl, jdbcUrl, jdbcUser, jdbcPassword);

        requireFree(settings.metricsPort(), "BAROMETER_METRICS_PORT");
        BrokerReachable broker = new BrokerReachable(bootstrapServers);
        started(broker);
        Readiness readiness = new Readiness().with("kafka", broker);
        operations = OperationsServer.start("run", settings.metricsPort(), readiness);
        started(operations);

        StreamsSettings streamsSettings = StreamsSettings.fromEnvironment(env)
                .withBootstrap(bootstrapServers, registryUrl, data.resolve("streams"), 1);
        CohesionStreamsApp streams = new CohesionStreamsApp(streamsSettings).start();
        started(streams);
        readiness.with("streams", () -> streams.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                ? java.util.Optional.empty() : java.util.Optional.of("the application is " + streams.state() + ", not RUNNING"));
        readiness.with("database", new DatabaseReachable(jdbcUrl, jdbcUser, jdbcPassword));

        SinkSettings sinkSettings = sinkConfiguration.writer();
        sink = new IndicatorSink(sinkSettings);
        Thread sinkThread = new Thread(sink, "indicator-sink");
        sinkThread.start();
        started(() -> {
            sink.close();
            sinkThread.join(30_000);
        });
        DataQualityFeed feed = new DataQualityFeed(sinkSettings, sinkConfiguration.quality());
        Thread feedThread = new Thread(feed, "data-quality-feed");
        feedThread.start();
        started(() -> {
            feed.close();
            feedThread.join(30_000);
        });

        IngestApp ingest = new IngestApp(IngestSettings.fromEnvironment(env)
                .withEndpoints(bootstrapServers, registryUrl, settings.ingestHost(), settings.ingestPort(), adminToken));
        started(ingest);
        ingestPort = ingest.port();

        if (settings.simulatorRate() > 0) {
            // The demo city and its neighbour, Lakeside, which posts a third as much: two cities kept apart
            // and compared (the neighbour's simulator has a rate of its own and a seed of its own).
            Instant now = Instant.now();
            simulator = new CitySimulator(ingestUrl(), adminToken, DemoCity.riverton(now),
                    settings.simulatorRate() * 0.75, Clock.systemUTC(), System.nanoTime());
            neighbour = new CitySimulator(ingestUrl(), adminToken, DemoCity.lakeside(now),
                    settings.simulatorRate() * 0.25, Clock.systemUTC(), System.nanoTime() + 1);
            for (CitySimulator city : List.of(simulator, neighbour)) {
                try {
                    city.seed();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while seeding the demo cities", e);
                }
                Thread simulatorThread = new Thread(city, "city-simulator-" + (city == simulator ? "riverton" : "lakeside"));
                simulatorThread.setDaemon(true);
                simulatorThread.start();
                started(city);
            }
        }
    }

    /**
     * The embedded PostgreSQL (or the database named by the settings), migrated, with the reading
     * roles' logins. Runs beside the broker's start.
     */
    private void startDatabase(Path data, SinkConfiguration configuration) throws IOException, SQLException {
        long started = System.nanoTime();
        if (settings.usesEmbeddedPostgres()) {
            // A run killed with kill -9 leaves its PostgreSQL (a child process) running on the port.
            InJvmPostgres.stopOrphanedServer(data.resolve("postgres"));
            requireFree(settings.postgresPort(), "BAROMETER_EMBEDDED_PG_PORT");
            // Stopped by close(), after the stages that write to it; a run killed before it could
            // leaves it running, and the next start stops it (above).
            InJvmPostgres postgres = InJvmPostgres.start(data.resolve("postgres"), settings.postgresPort(), false);
            started(postgres);
            jdbcUser = postgres.user();
            jdbcPassword = postgres.password();
            jdbcUrl = createDatabase(postgres, "barometer");
        } else {
            jdbcUrl = settings.jdbcUrl();
            jdbcUser = settings.jdbcUser();
            jdbcPassword = settings.jdbcPassword();
        }
        Migrations.apply(jdbcUrl, jdbcUser, jdbcPassword, configuration.privacy(), configuration.timescale());
        if (settings.usesEmbeddedPostgres()) {
            dashboardPassword = secret(data.resolve("dashboard-password"));
            letTheReadingRolesLogIn(Map.of("barometer_dashboard", dashboardPassword,
                    "barometer_operations", secret(data.resolve("operations-password")),
                    "barometer_evaluator", secret(data.resolve("evaluator-password"))));
        }
        LOG.info("Database ready (migrated) after {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /** Waits for {@link #startDatabase}, rethrowing what stopped it as it was thrown. */
    private static void awaitDatabase(CompletableFuture<Void> database) throws IOException, SQLException {
        try {
            database.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CompletionException wrapped && wrapped.getCause() != null) {
                cause = wrapped.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /**
     * Fails before anything starts when a port is taken (most often by a barometer already
     * running), naming the setting that moves it, rather than deep inside a server's start-up.
     */
    private static void requireFree(int port, String variable) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
        } catch (IOException taken) {
            throw new IllegalArgumentException("port " + port + " is in use (is the barometer already running?); stop what "
                    + "listens there or choose another port with " + variable);
        }
    }

    /**
     * The reading roles (docs/security.md: the dashboards and open-data export, pipeline operations,
     * evaluate and export) may log in to the embedded database with passwords made for this data
     * directory and kept in it (the production stack sets its own); no other role may connect.
     */
    private void letTheReadingRolesLogIn(Map<String, String> passwords) throws SQLException {
        try (var db = java.sql.DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword);
             var statement = db.createStatement()) {
            for (var role : passwords.entrySet()) {
                statement.execute("ALTER ROLE " + role.getKey() + " LOGIN PASSWORD '" + role.getValue() + "'"); // hex: nothing to escape
            }
            statement.execute("REVOKE ALL ON DATABASE barometer FROM PUBLIC");
            statement.execute("GRANT CONNECT ON DATABASE barometer TO " + String.join(", ", passwords.keySet()));
        }
    }

    /** A secret (the admin token, a password) is made once per data directory and kept there, readable only by its owner. */
    private static String secret(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Files.writeString(file, token);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return token;
    }

    private static String createDatabase(InJvmPostgres postgres, String name) throws SQLException {
        try (Connection c = postgres.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
            if (!rs.next()) {
                c.createStatement().execute("CREATE DATABASE " + name);
            }
        }
        return "jdbc:postgresql://localhost:" + postgres.port() + "/" + name;
    }

    /** Where clients on this machine reach the ingest API (an address that listens on every interface is reached on localhost). */
    public String ingestUrl() {
        String host = settings.ingestHost();
        boolean everyInterface = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        return "http://" + (everyInterface ? "localhost" : host.contains(":") ? "[" + host + "]" : host) + ":" + ingestPort;
    }

    /** Where /health/live, /health/ready and /metrics answer. */
    public String operationsUrl() {
        return "http://localhost:" + operations.port();
    }

    public String registryUrl() {
        return registryUrl;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String jdbcUser() {
        return jdbcUser;
    }

    public String jdbcPassword() {
        return jdbcPassword;
    }

    /** The read-only role's password in the embedded database (null with an outside database). */
    public String dashboardPassword() {
        return dashboardPassword;
    }

    public String adminToken() {
        return adminToken;
    }

    /** One line on how the city is doing, from the database. */
    public String summary() {
        String sql = """
                SELECT count(*), coalesce(sum(check_ins), 0), coalesce(sum(contacts), 0),
                       coalesce(sum(cross_group_contacts), 0), coalesce(sum(sentiment_taps), 0),
                       count(DISTINCT neighbourhood_id)
                  FROM neighbourhood_hourly WHERE activity_id = ''
                """;
        try (Connection c = DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            long contacts = rs.getLong(3);
            return String.format("%s | posted %d | in PostgreSQL: %d neighbourhood-hours in %d neighbourhoods, "
                            + "%d check-ins, %d contacts (%.0f%% cross-group), %d sentiment taps | sink %s",
                    Instant.now().toString().substring(11, 19),
                    simulator == null ? 0 : simulator.posted() + neighbour.posted(), rs.getLong(1), rs.getLong(6), rs.getLong(2), contacts,
                    contacts == 0 ? 0.0 : 100.0 * rs.getLong(4) / contacts, rs.getLong(5),
                    sink.isWaitingForDatabase() ? "WAITING FOR DATABASE" : "ok");
        } catch (SQLException e) {
            return "database not reachable: " + e.getMessage();
        }
    }

    /**
     * Keeps what just started, to be stopped by {@link #close}; stops it at once when the barometer
     * is already being stopped (Ctrl-C while it starts).
     */
    private void started(AutoCloseable component) {
        synchronized (running) {
            if (!closing) {
                running.push(component);
                return;
            }
        }
        try {
            component.close();
        } catch (Exception e) {
            LOG.warn("While stopping: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        synchronized (running) {
            closing = true;
        }
        CompletableFuture<Void> database = databaseStart;
        if (database != null) {
            try {
                database.get(2, TimeUnit.MINUTES); // what it starts from now on is stopped as it starts
            } catch (Exception failedOrInterrupted) {
                // nothing left to stop, or stopping anyway
            }
        }
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                LOG.warn("While stopping: {}", e.getMessage());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        runUntilStopped(EmbeddedSettings.fromEnvironment(Environment.system()));
    }

    /**
     * Starts the barometer, prints where everything is and what to try, then a summary line every
     * {@code summaryEvery}, and returns only when the JVM is stopped (Ctrl-C, SIGTERM): the
     * shutdown hook stops everything cleanly and prints where the data were kept as its last line.
     */
    public static void runUntilStopped(EmbeddedSettings settings) throws Exception {
        System.out.println("Starting the community cohesion barometer (data in " + settings.dataDir() + ") ...");
        EmbeddedBarometer barometer = new EmbeddedBarometer(settings);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch stopped = new CountDownLatch(1);
        // Registered before anything starts: Ctrl-C while starting stops what has started, PostgreSQL
        // (which has no shutdown hook of its own here) included.
        Thread stopInOrder = new Thread(() -> {
            System.out.println("\nStopping ...");
            ticker.shutdownNow();
            barometer.close();
            System.out.println("Stopped. Data kept in " + settings.dataDir() + "; run again to resume.");
            System.out.flush();
            stopped.countDown();
        }, "barometer-shutdown");
        Runtime.getRuntime().addShutdownHook(stopInOrder);
        try {
            barometer.startAll();
        } catch (IOException | SQLException | RuntimeException e) {
            barometer.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopInOrder);
            } catch (IllegalStateException stopping) {
                // Ctrl-C while starting: the hook is already running
            }
            throw e;
        }

        String psqlUser = barometer.jdbcUser();
        String port = barometer.jdbcUrl().replaceAll(".*://[^:/]+:(\\d+)/.*", "$1");
        Path tokenFile = settings.dataDir().resolve("admin-token");
        System.out.println("""

                The community cohesion barometer is running%s.
                  Ingest API       %s   (admin token in %s)
                  Schema registry  %s
                  Health, metrics  %s/health/ready   %s/metrics   (Prometheus)
                  Kafka bootstrap  %s   (BAROMETER_KAFKA_PORT; e.g. kcat -b %s -L)
                  PostgreSQL       %s   (user %s)
                  psql             psql -h localhost -p %s -U %s barometer -c "SELECT * FROM neighbourhood_hourly ORDER BY window_start DESC LIMIT 10"

                Where to look: rows appear in neighbourhood_hourly within a minute; the line below repeats every %ds.
                What to try next, in another terminal:
                  export BAROMETER_ADMIN_TOKEN=$(cat %s) BAROMETER_INGEST_URL=%s
                  ./barometer reference list                          the demo city's neighbourhoods, activities, kiosks
                  ./barometer tokens issue --organiser org-old-town   an organiser's API token, for curl or import-csv
                  ./barometer evaluate --help                         did an activity change anything?
                  BAROMETER_JDBC_URL=%s BAROMETER_EXPORT_PASSWORD=$(cat %s) \\
                    ./barometer export --from %s --to %s --out week.csv    open data, as the read-only role
                  BAROMETER_JDBC_URL=%s BAROMETER_EXPORT_PASSWORD=$(cat %s) \\
                    ./barometer report --city Riverton --month %s --out bulletin.html   the month's bulletin for the council
                  ./barometer --help                                  every task
                Press Ctrl-C to stop; run again to resume from the data directory.
                """.formatted(settings.simulatorRate() > 0 ? ", with two simulated cities (Riverton and its neighbour "
                        + "Lakeside) posting " + settings.simulatorRate() + " signals a second" : "", barometer.ingestUrl(), tokenFile,
                        barometer.registryUrl(), barometer.operationsUrl(), barometer.operationsUrl(),
                barometer.bootstrapServers(), barometer.bootstrapServers(), barometer.jdbcUrl(), psqlUser, port, psqlUser,
                (settings.summaryEvery().isZero() ? Duration.ofSeconds(10) : settings.summaryEvery()).toSeconds(),
                tokenFile, barometer.ingestUrl(), barometer.jdbcUrl(), settings.dataDir().resolve("dashboard-password"),
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(6), java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1),
                barometer.jdbcUrl(), settings.dataDir().resolve("dashboard-password"),
                java.time.YearMonth.now(java.time.ZoneOffset.UTC)));
        Duration every = settings.summaryEvery().isZero() ? Duration.ofSeconds(10) : settings.summaryEvery();
        ticker.scheduleAtFixedRate(() -> System.out.println(barometer.summary()),
                every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        stopped.await();
    }
}
