package org.cohesionbarometer.operations;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The Prometheus registry of one process, connected to Micrometer's global registry, where the
 * services count (accepted and refused signals, dead letters, rows written, batch latency,
 * freshness) and where the Kafka client and Kafka Streams binders register. Connect it before the
 * services start, so that every meter reaches it.
 */
public final class ServiceMetrics {

    /** @param process the value of every series' {@code process} label: ingest, streams, sink or run */
    public static PrometheusMeterRegistry connect(String process) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("process", process);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Metrics.addRegistry(registry);
        return registry;
    }

    public static void disconnect(PrometheusMeterRegistry registry) {
        Metrics.removeRegistry(registry);
        registry.close();
    }

    private ServiceMetrics() {
    }
}
