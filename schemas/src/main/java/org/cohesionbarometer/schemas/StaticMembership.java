package org.cohesionbarometer.schemas;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * How a service is known to its consumer groups across restarts (Kafka's static membership,
 * {@code group.instance.id}): a service killed and started again under the same name takes its
 * partitions back at once, instead of the group waiting out the dead member's session and
 * rebalancing twice. Every consumer group a process joins gets its own name, this one with the
 * program's added ({@link #instanceFor}), so that the sink's two programs never fence each other.
 *
 * <p>Two processes must never share one ({@code BAROMETER_INSTANCE_ID}): the second would fence the
 * first. The default, the host name, is stable across restarts of one container or machine and
 * differs between replicas (set it where a replica's host name changes at each start).
 *
 * @param instanceId this process's name in its groups, or empty for dynamic membership
 */
public record StaticMembership(Optional<String> instanceId) {
    /** Dynamic membership: each start is a new member (tests starting several instances on one broker). */
    public static final StaticMembership NONE = new StaticMembership(Optional.empty());

    public static StaticMembership fromEnvironment(Environment env) {
        String id = env.string("BAROMETER_INSTANCE_ID", hostName()).trim();
        return new StaticMembership(id.isEmpty() ? Optional.empty() : Optional.of(id));
    }

    public static StaticMembership named(String instanceId) {
        return new StaticMembership(Optional.of(instanceId));
    }

    /** The {@code group.instance.id} of one program of this process, if static membership is on. */
    public Optional<String> instanceFor(String program) {
        return instanceId.map(id -> id + "-" + program);
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "";
        }
    }
}
