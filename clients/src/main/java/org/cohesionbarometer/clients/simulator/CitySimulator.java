package org.cohesionbarometer.clients.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.cohesionbarometer.schemas.ParticipantToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a city through the public HTTP API, as organisers' apps and kiosks would: registers the
 * reference data with the admin token, then posts check-ins, mixing contacts and sentiment taps
 * at a chosen rate, in NDJSON batches. Participants are pseudonymous tokens drawn from a fixed
 * pool per neighbourhood, so people come back to sessions.
 */
public class CitySimulator implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CitySimulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The simulated organisers' secret salt: a real organiser's never leaves its machine. */
    private static final String SIMULATED_ORGANISERS_SALT = "riverton-simulated-organisers-salt";
    private final Map<String, String> pseudonyms = new java.util.HashMap<>();

    private final URI ingest;
    private final String adminToken;
    private final DemoCity city;
    private final double signalsPerSecond;
    private final Clock clock;
    private final SplittableRandom random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean running = true;

    public CitySimulator(String ingestUrl, String adminToken, DemoCity city, double signalsPerSecond, Clock clock, long seed) {
        this.ingest = URI.create(ingestUrl.endsWith("/") ? ingestUrl : ingestUrl + "/");
        this.adminToken = adminToken;
        this.city = city;
        this.signalsPerSecond = signalsPerSecond;
        this.clock = clock;
        this.random = new SplittableRandom(seed);
    }

    /** Registers the city (in the network comparison), its neighbourhoods, activities and kiosks (idempotent: same ids, same values). */
    public void seed() throws IOException, InterruptedException {
        for (String code : List.of("A", "B", "C", "D", "E")) {
            put("v1/groups/" + code, JSON.createObjectNode().put("label", "background group " + code
                    + " of the demo city's taxonomy"));
        }
        // Both demo cities take part in the network comparison.
        put("v1/cities/" + java.net.URLEncoder.encode(city.name(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"),
                JSON.createObjectNode().put("name", city.name()).put("inNetwork", true));
        for (DemoCity.Quarter q : city.quarters()) {
            put("v1/neighbourhoods/" + q.id(), JSON.createObjectNode().put("name", q.name()).put("city", city.name())
                    .put("centroidLat", q.lat()).put("centroidLon", q.lon()));
            for (DemoCity.Venture v : q.activities()) {
                put("v1/activities/" + v.id(), JSON.createObjectNode().put("title", v.title()).put("type", v.type())
                        .put("neighbourhoodId", q.id()).put("organiserId", "org-" + q.id())
                        .put("startsAt", v.startsAt().toString()).put("recurrence", "WEEKLY"));
            }
            for (String kiosk : q.kiosks()) {
                put("v1/kiosks/" + kiosk, JSON.createObjectNode().put("neighbourhoodId", q.id())
                        .put("organiserId", "org-" + q.id()).put("location", kiosk.replace('-', ' ')));
            }
        }
    }

    private void put(String path, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(ingest.resolve(path))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("PUT " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    @Override
    public void run() {
        long tick = 0;
        while (running) {
            long started = System.nanoTime();
            try {
                postOneSecond(tick++);
            } catch (IOException e) {
                LOG.warn("Simulator could not post: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long spare = Duration.ofSeconds(1).toNanos() - (System.nanoTime() - started);
            if (spare > 0) {
                try {
                    Thread.sleep(spare / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Posts one second's worth of signals: about 60% check-ins, 30% contacts, 10% taps. */
    public void postOneSecond(long tick) throws IOException, InterruptedException {
        List<String> checkIns = new ArrayList<>();
        List<String> contacts = new ArrayList<>();
        List<String> taps = new ArrayList<>();
        int n = (int) Math.max(1, Math.round(signalsPerSecond * (0.8 + 0.4 * random.nextDouble())));
        Instant now = clock.instant();
        for (int i = 0; i < n; i++) {
            DemoCity.Quarter quarter = city.quarters().get(random.nextInt(city.quarters().size()));
            DemoCity.Venture venture = quarter.activities().get(random.nextInt(quarter.activities().size()));
            Instant at = now.minusMillis(random.nextInt(2_000));
            double kind = random.nextDouble();
            if (kind < 0.6) {
                checkIns.add(JSON.createObjectNode().put("eventId", UUID.randomUUID().toString())
                        .put("eventTime", at.toString()).put("activityId", venture.id())
                        .put("participantToken", token(quarter)).put("groupCode", group(quarter))
                        .put("source", "SIMULATOR").toString());
            } else if (kind < 0.9) {
                String a = group(quarter);
                double crossing = venture.startsAt().isAfter(now) ? venture.baselineMixing() : venture.mixingWhenRunning();
                String b = random.nextDouble() < crossing ? otherGroup(quarter, a) : a;
                String tokenA = token(quarter);
                String tokenB = token(quarter);
                while (tokenB.equals(tokenA)) {
                    tokenB = token(quarter);
                }
                contacts.add(JSON.createObjectNode().put("eventId", UUID.randomUUID().toString())
                        .put("eventTime", at.toString()).put("activityId", venture.id())
                        .put("participantTokenA", tokenA).put("groupCodeA", a)
                        .put("participantTokenB", tokenB).put("groupCodeB", b)
                        .put("source", "SIMULATOR").toString());
            } else {
                String kiosk = quarter.kiosks().get(random.nextInt(quarter.kiosks().size()));
                int level = tapLevel();
                taps.add(JSON.createObjectNode().put("eventId", UUID.randomUUID().toString())
                        .put("eventTime", at.toString()).put("kioskId", kiosk).put("questionCode", "feel-welcome")
                        .put("scale", 5).put("level", level).toString());
            }
        }
        post("v1/check-ins", checkIns);
        post("v1/mixing-contacts", contacts);
        post("v1/sentiment-taps", taps);
    }

    private void post(String path, List<String> lines) throws IOException, InterruptedException {
        if (lines.isEmpty()) {
            return;
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(ingest.resolve(path))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
            posted.addAndGet(lines.size());
        } else {
            refused.addAndGet(lines.size());
            LOG.warn("POST {} answered {}: {}", path, response.statusCode(), response.body());
        }
    }

    /** Levels 1..5 of a five-button kiosk, weighted towards the positive as smiley terminals usually are. */
    private int tapLevel() {
        double[] cumulative = {0.05, 0.15, 0.35, 0.70, 1.0};
        double draw = random.nextDouble();
        for (int level = 1; level <= 5; level++) {
            if (draw < cumulative[level - 1]) {
                return level;
            }
        }
        return 5;
    }

    private String token(DemoCity.Quarter quarter) {
        // A pool of 400 residents per neighbourhood, each known by a pseudonym as an organiser's app makes it.
        int resident = random.nextInt(400);
        return pseudonyms.computeIfAbsent(quarter.id() + " resident " + resident,
                person -> ParticipantToken.of(SIMULATED_ORGANISERS_SALT, person));
    }

    private String group(DemoCity.Quarter quarter) {
        double draw = random.nextDouble();
        double cumulative = 0;
        for (Map.Entry<String, Double> share : quarter.groupShares().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            cumulative += share.getValue();
            if (draw < cumulative) {
                return share.getKey();
            }
        }
        return quarter.groupShares().keySet().iterator().next();
    }

    private String otherGroup(DemoCity.Quarter quarter, String than) {
        List<String> others = quarter.groupShares().keySet().stream().filter(g -> !g.equals(than)).sorted().toList();
        return others.isEmpty() ? than : others.get(random.nextInt(others.size()));
    }

    public long posted() {
        return posted.get();
    }

    public long refused() {
        return refused.get();
    }

    @Override
    public void close() {
        running = false;
    }
}
