/**
 * What an operator probes on every service (ingest, streams, sink, and the embedded run): liveness,
 * readiness and Prometheus metrics over HTTP ({@link org.cohesionbarometer.operations.OperationsServer}).
 * The services count their own events through Micrometer's global registry
 * ({@code io.micrometer.core.instrument.Metrics}), which {@link org.cohesionbarometer.operations.ServiceMetrics}
 * connects to Prometheus; in tests nothing is connected and counting costs nothing.
 */
package org.cohesionbarometer.operations;
