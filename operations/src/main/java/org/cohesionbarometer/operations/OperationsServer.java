package org.cohesionbarometer.operations;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import org.cohesionbarometer.schemas.Environment;

/**
 * A small HTTP listener for operators, on every service ({@code BAROMETER_METRICS_PORT}):
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the process runs (restart it if this fails);</li>
 *   <li>{@code GET /health/ready}: 200 when it can do its job, else 503 naming what is wrong (broker
 *       unreachable, database away, streams not RUNNING): send it no work, do not restart it;</li>
 *   <li>{@code GET /metrics}: Prometheus text format.</li>
 * </ul>
 * The JDK's own HTTP server: a service that is no web server (streams, sink) gets no web framework.
 */
public final class OperationsServer implements AutoCloseable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private final HttpServer server;
    private final PrometheusMeterRegistry metrics;

    private OperationsServer(HttpServer server, PrometheusMeterRegistry metrics) {
        this.server = server;
        this.metrics = metrics;
    }

    /** The port from {@code BAROMETER_METRICS_PORT} (default 9400; 0: any free port). */
    public static int port(Environment env) {
        return env.integer("BAROMETER_METRICS_PORT", 9400);
    }

    /**
     * Listens on every interface at {@code port} (0: any free port) for {@code process} (the
     * {@code process} label of its metrics), connecting a Prometheus registry to Micrometer's global one.
     */
    public static OperationsServer start(String process, int port, Readiness readiness) {
        PrometheusMeterRegistry metrics = ServiceMetrics.connect(process);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
            server.createContext("/health/live", exchange -> answer(exchange, 200, "application/json", "{\"status\":\"UP\"}"));
            server.createContext("/health/ready", exchange -> {
                List<String> problems = readiness.problems();
                answer(exchange, problems.isEmpty() ? 200 : 503, "application/json", problems.isEmpty()
                        ? "{\"status\":\"UP\"}"
                        : "{\"status\":\"DOWN\",\"problems\":[" + String.join(",", problems.stream().map(OperationsServer::quoted).toList()) + "]}");
            });
            server.createContext("/metrics", exchange -> answer(exchange, 200, PROMETHEUS_TEXT, metrics.scrape()));
            server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "operations-http");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return new OperationsServer(server, metrics);
        } catch (IOException e) {
            ServiceMetrics.disconnect(metrics);
            throw new UncheckedIOException("cannot listen for health and metrics on port " + port
                    + " (BAROMETER_METRICS_PORT): " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, exchange.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
            if (!exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
        ServiceMetrics.disconnect(metrics);
    }
}
