package org.cohesionbarometer.allinone.drill;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Check-ins posted at a steady rate through the ingest API, as an organiser's app would: a batch is
 * sent again, with the same event ids, until the API accepts it (2xx), however long the API or Kafka
 * is away. What it counts as accepted is the ground truth a drill compares the database with.
 */
final class SteadyLoad implements Runnable {
    private final URI checkIns;
    private final String token;
    private final List<String> activities;
    private final int perSecond;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicReference<Instant> lastAccepted = new AtomicReference<>(Instant.EPOCH);
    private volatile boolean running = true;

    SteadyLoad(String ingestUrl, String token, List<String> activities, int perSecond) {
        this.checkIns = URI.create(ingestUrl + "/v1/check-ins");
        this.token = token;
        this.activities = activities;
        this.perSecond = perSecond;
    }

    @Override
    public void run() {
        int batch = Math.max(1, perSecond / 4);
        long n = 0;
        while (running) {
            long began = System.nanoTime();
            List<String> lines = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = 0; i < batch; i++, n++) {
                lines.add("{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventTime\":\"" + now + "\",\"activityId\":\""
                        + activities.get((int) (n % activities.size())) + "\",\"groupCode\":\"" + "ABCDE".charAt((int) (n % 5))
                        + "\",\"source\":\"SIMULATOR\"}");
            }
            String body = String.join("\n", lines);
            // Sent again until accepted, even while stopping: a batch the API may have stored is never left uncounted.
            while (!post(body)) {
                retries.incrementAndGet();
                pause(200_000_000L);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            accepted.addAndGet(lines.size());
            lastAccepted.set(Instant.now());
            pause(250_000_000L - (System.nanoTime() - began));
        }
    }

    private boolean post(String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(checkIns).timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return true;
            }
            if (response.statusCode() != 503 && response.statusCode() != 429) {
                throw new IllegalStateException("the API refused the drill's check-ins: " + response.statusCode() + " " + response.body());
            }
            return false;
        } catch (java.io.IOException e) {
            return false; // the API is away: send the same batch again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause(long nanos) {
        if (nanos > 0) {
            try {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    long accepted() {
        return accepted.get();
    }

    long retries() {
        return retries.get();
    }

    Instant lastAccepted() {
        return lastAccepted.get();
    }

    void stop() {
        running = false;
    }
}
