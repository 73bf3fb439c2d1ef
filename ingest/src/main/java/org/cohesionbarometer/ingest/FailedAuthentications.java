package org.cohesionbarometer.ingest;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed authentications per client address: each is logged (address, route, reason; never what
 * was presented), and an address allowed {@code perMinute} of them, refilled over a minute
 * (Bucket4j), after which every request of it that needs a token is refused with 429 until the
 * bucket refills, whatever token it carries, so that guessing stays as slow as the limit. A
 * request without any token is refused (401) but not counted: it guesses nothing.
 *
 * <p>The address is the connection's peer (Jetty's remote address): a forwarded-for header is the
 * client's own word and is not trusted. At most {@link #ADDRESSES} addresses are remembered, the
 * least recently failing forgotten first, so that a flood of addresses cannot fill the heap.
 */
final class FailedAuthentications {
    private static final Logger LOG = LoggerFactory.getLogger(FailedAuthentications.class);
    static final int ADDRESSES = 10_000;

    private final int perMinute;
    private final Map<String, Bucket> byAddress = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > ADDRESSES;
        }
    };

    FailedAuthentications(int perMinute) {
        this.perMinute = perMinute;
    }

    /** How long the address must wait before it may authenticate again; empty when it may now. */
    synchronized Optional<Duration> throttled(String address) {
        Bucket bucket = byAddress.get(address);
        if (bucket == null) {
            return Optional.empty();
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Records and logs one failure; {@code route} is the method and path, {@code reason} what failed. */
    synchronized void failed(String address, String route, String reason) {
        Bucket bucket = byAddress.computeIfAbsent(address, a -> Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .build());
        bucket.tryConsume(1);
        LOG.warn("Failed authentication from {} on {}: {}", address, route, reason);
        if (bucket.getAvailableTokens() == 0) {
            LOG.warn("Throttling {}: {} failed authentications within a minute; its requests get 429 until the limit refills",
                    address, perMinute);
        }
    }

    int perMinute() {
        return perMinute;
    }
}
