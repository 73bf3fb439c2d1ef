package org.cohesionbarometer.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open-loop load of the realistic mix at a set rate: client threads take the next bulk
 * request's due time from one schedule ({@code batch / rate} seconds apart), wait for it and send.
 * When the API answers more slowly than the schedule, requests go out late and the accepted rate
 * falls below the offered one: that gap is the result, not hidden by the clients.
 */
final class OfferedLoad implements AutoCloseable {
    private final BulkSender sender;
    private final int batch;
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong nextRequest = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong acceptedCounted = new AtomicLong(); // check-ins and contacts: what the totals check
    private final AtomicLong refusedRequests = new AtomicLong();
    private final AtomicLong unreachableRequests = new AtomicLong();
    private volatile double rate;
    private volatile long startNanos;
    private volatile boolean retryUntilAccepted;

    OfferedLoad(String ingestUrl, int clientThreads, int batch, int neighbourhoods, int participants, long seed) {
        this.sender = new BulkSender(ingestUrl, StackProcess.ADMIN_TOKEN);
        this.batch = batch;
        for (int c = 0; c < clientThreads; c++) {
            BenchCity city = new BenchCity(neighbourhoods, participants, seed + c, false);
            Thread t = new Thread(() -> sendWhileRunning(city), "load-client-" + c);
            t.setDaemon(true);
            clients.add(t);
        }
    }

    /** Starts (or changes) the offered rate, in signals per second, from now on. */
    synchronized void offer(double signalsPerSecond) {
        rate = signalsPerSecond;
        nextRequest.set(0);
        startNanos = System.nanoTime();
        if (!clients.get(0).isAlive()) {
            clients.forEach(Thread::start);
        }
    }

    /** Stops offering load; requests already sent finish. */
    void pause() {
        rate = 0;
    }

    /** A request the API could not take (the stack is down) is sent again, with the same event ids, until it is. */
    void retryUntilAccepted(boolean retry) {
        this.retryUntilAccepted = retry;
    }

    private void sendWhileRunning(BenchCity city) {
        try {
            while (running.get()) {
                double r = rate;
                if (r <= 0) {
                    Thread.sleep(50); // paused between steps
                    continue;
                }
                long start = startNanos;
                long i = nextRequest.getAndIncrement();
                long due = start + (long) (i * batch * 1e9 / r);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (start != startNanos) {
                    continue; // the rate changed while waiting
                }
                Signal.Kind kind = city.nextKind();
                Instant now = Instant.now();
                List<Signal> signals = new ArrayList<>(batch);
                for (int s = 0; s < batch; s++) {
                    signals.add(city.next(kind, now));
                }
                int status = sender.post(signals);
                while (status != 200 && retryUntilAccepted && running.get()) {
                    if (status == -1) {
                        unreachableRequests.incrementAndGet();
                    } else {
                        refusedRequests.incrementAndGet();
                    }
                    Thread.sleep(500);
                    status = sender.post(signals);
                }
                if (status == 200) {
                    accepted.addAndGet(batch);
                    if (kind != Signal.Kind.TAP) {
                        acceptedCounted.addAndGet(batch);
                    }
                } else if (status == -1) {
                    unreachableRequests.incrementAndGet();
                } else {
                    refusedRequests.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long accepted() {
        return accepted.get();
    }

    /** Accepted check-ins and contacts: every one of them must be counted in the database (taps are debounced per kiosk). */
    long acceptedCheckInsAndContacts() {
        return acceptedCounted.get();
    }

    /** Requests answered with anything but 200, and requests that found nothing listening. */
    long errors() {
        return refusedRequests.get() + unreachableRequests.get();
    }

    /** The last answer other than 200, for the report. */
    String lastRefusal() {
        return sender.lastRefusal();
    }

    long unreachable() {
        return unreachableRequests.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : clients) {
            t.interrupt();
        }
        for (Thread t : clients) {
            t.join(35_000);
        }
    }
}
