package org.cohesionbarometer.ingest;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per organiser token: a token bucket per token (Bucket4j) holding {@code burst}
 * requests and refilled at {@code perMinute}. One runaway kiosk app or script cannot crowd out
 * every other organiser. Limits are per ingest instance.
 */
final class RateLimits {
    private final long perMinute;
    private final long burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimits(long perMinute, long burst) {
        this.perMinute = perMinute;
        this.burst = burst;
    }

    /** One request by this token: whether it may go ahead, and what is left. */
    Decision take(String tokenId) {
        Bucket bucket = buckets.computeIfAbsent(tokenId, id -> Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return new Decision(probe.isConsumed(), probe.getRemainingTokens(), Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    long perMinute() {
        return perMinute;
    }

    /** The outcome of one request against its token's bucket. */
    record Decision(boolean allowed, long remaining, Duration retryAfter) {
        /** Whole seconds to wait, at least 1 (the Retry-After header takes seconds). */
        long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }
}
