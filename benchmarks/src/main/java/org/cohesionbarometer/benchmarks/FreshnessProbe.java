package org.cohesionbarometer.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * How fresh the database is, as a dashboard sees it: every {@code every} milliseconds one probe
 * check-in goes through the API into a neighbourhood of its own (one participant, so that the
 * probes stay in order on one partition), and the database is polled every 20 ms for the
 * neighbourhood's check-ins. A probe's freshness is the time from its 2xx to the first poll whose
 * count includes it, so the figures carry up to one poll interval of extra time.
 */
final class FreshnessProbe implements AutoCloseable {
    private static final String COUNT = "SELECT coalesce(sum(check_ins), 0) FROM neighbourhood_hourly "
            + "WHERE neighbourhood_id = '" + BenchCity.PROBE_NEIGHBOURHOOD + "' AND activity_id = ''";

    private final StackProcess stack;
    private final BulkSender sender;
    private final long everyMillis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Acknowledgement time (nanoTime) of each probe acknowledged, in order. */
    private final List<Long> acked = new ArrayList<>();
    /** Freshness in microseconds of each probe seen in the database, in the same order. */
    private final List<Long> seenAfter = new ArrayList<>();
    private final Thread sending;
    private final Thread polling;
    private volatile long baseCount = -1;
    private volatile long failedProbes;

    FreshnessProbe(StackProcess stack, long everyMillis) {
        this.stack = stack;
        this.sender = new BulkSender(stack.ingestUrl(), StackProcess.ADMIN_TOKEN);
        this.everyMillis = everyMillis;
        this.sending = new Thread(this::send, "freshness-probe");
        this.polling = new Thread(this::poll, "freshness-poll");
    }

    FreshnessProbe start() throws SQLException {
        try (Connection db = stack.database()) {
            baseCount = count(db);
        }
        polling.setDaemon(true);
        sending.setDaemon(true);
        polling.start();
        sending.start();
        return this;
    }

    private void send() {
        long sequence = 0;
        while (running.get()) {
            try {
                int status = sender.post(List.of(BenchCity.probe(sequence, Instant.now())));
                long at = System.nanoTime();
                if (status == 200) {
                    synchronized (this) {
                        acked.add(at);
                    }
                    sequence++;
                } else {
                    failedProbes++; // while the stack is down; the next probe is a new one
                }
                Thread.sleep(everyMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void poll() {
        while (running.get()) {
            try (Connection db = stack.database(); PreparedStatement q = db.prepareStatement(COUNT)) {
                while (running.get()) {
                    long reflected;
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                        reflected = rs.getLong(1) - baseCount;
                    }
                    long now = System.nanoTime();
                    synchronized (this) {
                        while (seenAfter.size() < Math.min(reflected, acked.size())) {
                            seenAfter.add(Math.max(0, (now - acked.get(seenAfter.size())) / 1_000));
                        }
                    }
                    Thread.sleep(20);
                }
            } catch (SQLException databaseDown) {
                sleepQuietly(200); // the stack is restarting; reconnect
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long count(Connection db) throws SQLException {
        try (ResultSet rs = db.createStatement().executeQuery(COUNT)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The number of probes acknowledged so far: a mark to measure from. */
    synchronized int mark() {
        return acked.size();
    }

    /** Waits until every probe acknowledged before {@code upTo} is in the database, or the patience runs out. */
    boolean awaitSeen(int upTo, long patienceMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + patienceMillis;
        while (System.currentTimeMillis() < deadline) {
            synchronized (this) {
                if (seenAfter.size() >= upTo) {
                    return true;
                }
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The freshness of the probes acknowledged between two marks; those not yet seen count as seen now. */
    synchronized Histogram freshness(int from, int to) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        long now = System.nanoTime();
        for (int i = from; i < to; i++) {
            h.recordValue(i < seenAfter.size() ? seenAfter.get(i) : (now - acked.get(i)) / 1_000);
        }
        return h;
    }

    /** Acknowledgement time (nanoTime) and freshness (µs, or -1 when not seen) of each probe from a mark on. */
    synchronized List<long[]> since(int from) {
        List<long[]> out = new ArrayList<>();
        for (int i = from; i < acked.size(); i++) {
            out.add(new long[] {acked.get(i), i < seenAfter.size() ? seenAfter.get(i) : -1});
        }
        return out;
    }

    long failedProbes() {
        return failedProbes;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        sending.interrupt();
        polling.interrupt();
        sending.join(5_000);
        polling.join(5_000);
    }
}
