package org.cohesionbarometer.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.cohesionbarometer.schemas.FieldProblem;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.reference.OrganiserToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API for organisers (signals) and the city's admin (reference data).
 *
 * <p>A signal endpoint takes one JSON object, a JSON array, or NDJSON lines. Every record is
 * checked; good records are stored even when others in the same request are bad, and the answer
 * says exactly which were stored and what is wrong with each of the others. A 2xx comes only
 * after Kafka acknowledged the records; while Kafka is away the answer is 503 with Retry-After.
 */
public class IngestServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);
    private static final ObjectMapper JSON = RequestLimits.JSON;

    private final IngestSettings settings;
    private final ReferenceCatalog catalog;
    private final SignalReader reader;
    private final SignalPublisher publisher;
    private final Access access;
    private final RateLimits rateLimits;
    private final FailedAuthentications failedAuthentications;
    private final Clock clock;
    private final Javalin app;

    public IngestServer(IngestSettings settings, ReferenceCatalog catalog, SignalPublisher publisher, Clock clock) {
        this.settings = settings;
        this.catalog = catalog;
        this.publisher = publisher;
        this.reader = new SignalReader(catalog, settings, clock);
        this.access = new Access(settings.adminToken(), catalog);
        this.rateLimits = new RateLimits(settings.rateLimitPerMinute(), settings.rateLimitBurst());
        this.failedAuthentications = new FailedAuthentications(settings.failedAuthenticationsPerMinute());
        this.clock = clock;
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = RequestLimits.MAX_BODY_BYTES;
            config.http.prefer405over404 = true;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyRefusals()));
        });

        app.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
        app.get("/openapi.yaml", ctx -> {
            try (var in = IngestServer.class.getResourceAsStream("/public/openapi.yaml")) {
                ctx.contentType("application/yaml").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        });
        app.post("/v1/check-ins", ctx -> signals(ctx, Topics.CHECK_INS, reader::checkIn));
        app.post("/v1/mixing-contacts", ctx -> signals(ctx, Topics.MIXING_CONTACTS, reader::mixingContact));
        app.post("/v1/sentiment-taps", ctx -> signals(ctx, Topics.SENTIMENT_TAPS, reader::sentimentTap));

        app.put("/v1/neighbourhoods/{id}", ctx -> reference(ctx, Topics.NEIGHBOURHOODS,
                json -> reader.neighbourhood(ctx.pathParam("id"), json), catalog::stored));
        app.put("/v1/activities/{id}", ctx -> reference(ctx, Topics.ACTIVITIES,
                json -> reader.activity(ctx.pathParam("id"), json), catalog::stored));
        app.put("/v1/kiosks/{id}", ctx -> reference(ctx, Topics.KIOSKS,
                json -> reader.kiosk(ctx.pathParam("id"), json), catalog::stored));
        app.put("/v1/groups/{code}", ctx -> reference(ctx, Topics.GROUPS,
                json -> reader.group(ctx.pathParam("code"), json), catalog::stored));
        app.put("/v1/cities/{id}", ctx -> reference(ctx, Topics.CITIES,
                json -> reader.city(ctx.pathParam("id"), json), catalog::stored));
        app.get("/v1/cities", ctx -> list(ctx, access::citiesFor));
        app.get("/v1/groups", ctx -> list(ctx, access::groupsFor));
        app.get("/v1/neighbourhoods", ctx -> list(ctx, access::neighbourhoodsFor));
        app.get("/v1/activities", ctx -> list(ctx, access::activitiesFor));
        app.get("/v1/kiosks", ctx -> list(ctx, access::kiosksFor));

        app.post("/v1/organisers/{organiserId}/tokens", this::issueToken);
        app.get("/v1/organisers/{organiserId}/tokens", ctx -> {
            if (admin(ctx)) {
                ctx.json(catalog.tokensOf(ctx.pathParam("organiserId")).stream().map(IngestServer::describe).toList());
            }
        });
        app.delete("/v1/tokens/{tokenId}", this::revokeToken);

        // Javalin's own refusals (an unknown route, a method the route does not take) as problem+json too,
        // naming at most a short excerpt of the path; an answer already given as a problem stays as it is.
        app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 413) { // Javalin's own check of an announced length: answer before the body is drained
                answerNow(ctx, Problem.bodyTooLarge(new RequestLimits.TooLarge().getMessage()));
            } else {
                problem(ctx, Problem.ofStatus(e.getStatus(), e.getStatus() == 405
                        ? "This route does not take " + ctx.method() + "; see /openapi.yaml for what each route takes."
                        : RecordReader.abbreviate(String.valueOf(e.getMessage()))));
            }
        });
        app.error(404, ctx -> {
            if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                problem(ctx, Problem.notFound("No route " + ctx.method() + " " + RecordReader.abbreviate(ctx.path())
                        + "; see /openapi.yaml for the API's routes."));
            }
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            problem(ctx, new Problem("about:blank", "Internal error", 500,
                    "The request could not be processed; nothing from it was stored unless reported otherwise.",
                    null, null, null));
        });
    }

    public IngestServer start() {
        app.start(settings.host(), settings.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    /** The routes the server answers, as "METHOD /path" with Javalin's {param} placeholders. */
    public List<String> routes() {
        return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(handler -> handler.getEndpoint().getMethod().name() + " " + handler.getEndpoint().getPath())
                .toList();
    }

    @Override
    public void close() {
        app.stop();
    }

    private <T extends SpecificRecord> void signals(Context ctx, String topic,
                                                    Function<JsonNode, SignalReader.Read<T>> read) {
        Caller caller = caller(ctx, "Send your organiser's API token as 'Authorization: Bearer cbt_...'. "
                + "The city's admin issues tokens (barometer tokens issue --organiser <id>).");
        if (caller == null) {
            return;
        }
        if (caller instanceof Caller.Organiser organiser) {
            RateLimits.Decision decision = rateLimits.take(organiser.tokenId());
            ctx.header("RateLimit-Remaining", String.valueOf(decision.remaining()));
            if (!decision.allowed()) {
                ctx.header("Retry-After", String.valueOf(decision.retryAfterSeconds()));
                problem(ctx, Problem.rateLimited(rateLimits.perMinute(), decision.retryAfterSeconds()));
                return;
            }
        }
        Body body = Body.of(ctx, settings.maxRecordsPerRequest());
        if (body.records() == null) {
            if (body.problem() != null) { // else it was answered already
                problem(ctx, body.problem());
            }
            return;
        }
        List<SignalReader.Read<T>> reads = body.records().stream().map(read).toList();
        List<SignalPublisher.Keyed> valid = new ArrayList<>();
        List<Integer> validIndexes = new ArrayList<>();
        List<Problem.Rejected> rejected = new ArrayList<>();
        int forbidden = 0;
        for (int i = 0; i < reads.size(); i++) {
            SignalReader.Read<T> r = reads.get(i);
            var refusal = r.isValid() ? access.refusal(caller, r.record()) : Optional.<FieldProblem>empty();
            if (refusal.isPresent()) {
                rejected.add(new Problem.Rejected(i, List.of(refusal.get())));
                forbidden++;
            } else if (r.isValid()) {
                valid.add(new SignalPublisher.Keyed(r.partitionKey(), r.record(), r.eventTime()));
                validIndexes.add(i);
            } else {
                rejected.add(new Problem.Rejected(i, r.problems()));
            }
        }
        List<Exception> outcomes = publisher.publishAll(topic, valid);
        List<String> stored = new ArrayList<>();
        List<Integer> unacknowledged = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) == null) {
                stored.add(reads.get(validIndexes.get(i)).eventId());
            } else {
                unacknowledged.add(validIndexes.get(i));
            }
        }
        if (!unacknowledged.isEmpty()) {
            LOG.warn("Kafka unavailable: {} of {} records not acknowledged", unacknowledged.size(), valid.size());
            ctx.header("Retry-After", "5");
            Problem unavailable = Problem.kafkaUnavailable("Kafka did not acknowledge records at indexes " + unacknowledged + ".");
            problem(ctx, new Problem(unavailable.type(), unavailable.title(), 503, unavailable.detail(), null,
                    rejected.isEmpty() ? null : rejected, stored));
            return;
        }
        if (!body.isBulk()) {
            if (rejected.isEmpty()) {
                ctx.status(202).json(Map.of("eventId", stored.get(0), "status", "stored"));
            } else if (forbidden > 0) {
                problem(ctx, Problem.forbidden(rejected.get(0).errors()));
            } else {
                problem(ctx, Problem.invalidRecord(rejected.get(0).errors()));
            }
            return;
        }
        if (stored.isEmpty() && forbidden > 0 && forbidden == rejected.size()) {
            problem(ctx, Problem.forbiddenBulk(rejected));
            return;
        }
        if (rejected.isEmpty()) {
            ctx.status(200).json(Map.of("stored", stored, "rejected", List.of()));
        } else {
            problem(ctx, Problem.partlyStored(rejected, stored));
        }
    }

    private <T extends SpecificRecord> void reference(Context ctx, String topic,
                                                      Function<JsonNode, SignalReader.Read<T>> read,
                                                      Consumer<T> stored) {
        if (!admin(ctx)) {
            return;
        }
        JsonNode json = jsonBody(ctx, JSON.nullNode());
        if (json == null) {
            return;
        }
        SignalReader.Read<T> r = read.apply(json);
        if (!r.isValid()) {
            problem(ctx, Problem.invalidRecord(r.problems()));
            return;
        }
        if (!publishReference(ctx, topic, r.eventId(), r.record())) {
            return;
        }
        stored.accept(r.record());
        ctx.status(200).json(asMap(r.record()));
    }

    /** The request's JSON ({@code empty} for no body), or null when it is refused and the refusal is already given. */
    private static JsonNode jsonBody(Context ctx, JsonNode empty) {
        try {
            java.io.PushbackInputStream body = new java.io.PushbackInputStream(RequestLimits.body(ctx));
            int first = body.read();
            if (first == -1) {
                return empty;
            }
            body.unread(first);
            String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
            if (!contentType.startsWith("application/json")) {
                problem(ctx, Problem.unsupportedMediaType(ctx.contentType()));
                return null;
            }
            BodyRecords.Read read = BodyRecords.json(body, 1);
            return read == null ? empty : read.isBulk() ? JSON.getNodeFactory().textNode("(a JSON array)") : read.records().get(0);
        } catch (BodyRecords.TooMany e) {
            return JSON.getNodeFactory().textNode("(a JSON array)");
        } catch (RequestLimits.TooLarge e) {
            answerNow(ctx, Problem.bodyTooLarge(e.getMessage()));
            return null;
        } catch (JsonProcessingException e) {
            problem(ctx, Problem.malformed(Body.notJson(e)));
            return null;
        } catch (java.io.IOException e) {
            problem(ctx, Problem.malformed("The body could not be read to its end: " + RecordReader.abbreviate(String.valueOf(e.getMessage()))));
            return null;
        }
    }

    /**
     * Who sent the request, or null when it is refused and answered: 429 while its address is past
     * its failed authentications, 401 for no, an unknown or a revoked token (a failure counted and
     * logged unless no token was presented at all).
     */
    private Caller caller(Context ctx, String howToAuthenticate) {
        String address = ctx.req().getRemoteAddr();
        var wait = failedAuthentications.throttled(address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.header("Retry-After", String.valueOf(seconds));
            problem(ctx, Problem.tooManyFailedAuthentications(failedAuthentications.perMinute(), seconds));
            return null;
        }
        Access.Verdict verdict = access.verdict(ctx.header("Authorization"));
        if (verdict instanceof Access.Verdict.Authenticated authenticated) {
            return authenticated.caller();
        }
        Access.Verdict.Refused refused = (Access.Verdict.Refused) verdict;
        if (refused.presented()) {
            failedAuthentications.failed(address, ctx.method() + " " + RecordReader.abbreviate(ctx.path()), refused.reason());
        }
        problem(ctx, refused.revoked() ? Problem.tokenRevoked() : Problem.unauthorized(howToAuthenticate));
        return null;
    }

    /** Whether the caller is the admin; if not, the answer (401, 403 or 429) is already given. */
    private boolean admin(Context ctx) {
        Caller caller = caller(ctx, "Reference data and tokens are managed with the admin token: "
                + "send 'Authorization: Bearer <BAROMETER_ADMIN_TOKEN>'.");
        if (caller instanceof Caller.Admin) {
            return true;
        }
        if (caller != null) {
            problem(ctx, Problem.adminOnly("Organiser tokens write signals; reference data and tokens are managed "
                    + "by the city's admin."));
        }
        return false;
    }

    /** A reference list, as much of it as the caller may see ({@link Access}). */
    private void list(Context ctx, Function<Caller, List<? extends SpecificRecord>> visible) {
        Caller caller = caller(ctx, "Reading reference data needs a token: your organiser's API token "
                + "('Authorization: Bearer cbt_...') shows your own activities and kiosks, their neighbourhoods and the "
                + "background groups; the admin token shows everything.");
        if (caller != null) {
            ctx.json(visible.apply(caller).stream().map(IngestServer::asMap).toList());
        }
    }

    /** Issues a token for an organiser; the answer is the only place its secret ever appears. */
    private void issueToken(Context ctx) {
        if (!admin(ctx)) {
            return;
        }
        JsonNode json = jsonBody(ctx, JSON.createObjectNode());
        if (json == null) {
            return;
        }
        RecordReader in = new RecordReader(json, Set.of("label", "city"));
        String organiserId = in.code("organiserId", ctx.pathParam("organiserId"));
        String city = json.hasNonNull("city") ? json.get("city").asText() : null;
        if (city != null && catalog.neighbourhoods().stream().noneMatch(n -> n.getCity().equals(city))) {
            in.refuse("city", RecordReader.abbreviate(city), "no neighbourhood is registered in this city; the cities are: "
                    + String.join(", ", catalog.neighbourhoods().stream().map(n -> n.getCity()).distinct().sorted().toList()));
        }
        if (!in.isValid()) {
            problem(ctx, Problem.invalidRecord(in.problems()));
            return;
        }
        ApiToken token = ApiToken.issue();
        var stored = OrganiserToken.newBuilder()
                .setTokenId(token.tokenId()).setOrganiserId(organiserId).setSecretSha256(token.secretSha256())
                .setLabel(json.hasNonNull("label") ? json.get("label").asText() : null).setCity(city)
                .setIssuedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS)).build();
        if (publishReference(ctx, Topics.ORGANISER_TOKENS, token.tokenId(), stored)) {
            catalog.stored(stored);
            LOG.info("Issued token {} for organiser {}", token.tokenId(), organiserId);
            Map<String, Object> answer = new LinkedHashMap<>(describe(stored));
            answer.put("token", token.value());
            answer.put("note", "Shown once: store it now. The barometer keeps only its SHA-256.");
            ctx.status(201).json(answer);
        }
    }

    private void revokeToken(Context ctx) {
        if (!admin(ctx)) {
            return;
        }
        var existing = catalog.token(ctx.pathParam("tokenId")).orElse(null);
        if (existing == null) {
            problem(ctx, Problem.notFound("No token with id '" + RecordReader.abbreviate(ctx.pathParam("tokenId")) + "'."));
            return;
        }
        var revoked = OrganiserToken.newBuilder(existing)
                .setRevokedAt(existing.getRevokedAt() != null ? existing.getRevokedAt()
                        : clock.instant().truncatedTo(ChronoUnit.MILLIS)).build();
        if (publishReference(ctx, Topics.ORGANISER_TOKENS, revoked.getTokenId(), revoked)) {
            catalog.stored(revoked);
            LOG.info("Revoked token {} of organiser {}", revoked.getTokenId(), revoked.getOrganiserId());
            ctx.status(200).json(describe(revoked));
        }
    }

    private boolean publishReference(Context ctx, String topic, String key, SpecificRecord record) {
        try {
            publisher.publish(topic, new SignalPublisher.Keyed(key, record));
            return true;
        } catch (SignalPublisher.Unavailable e) {
            ctx.header("Retry-After", "5");
            problem(ctx, Problem.kafkaUnavailable(e.getMessage()));
            return false;
        }
    }

    /** A token as the admin may see it: everything but the hash of its secret. */
    private static Map<String, Object> describe(OrganiserToken token) {
        Map<String, Object> map = asMap(token);
        map.remove("secretSha256");
        return map;
    }

    /**
     * Sends the problem at once and closes the connection: the rest of an oversized body is never
     * read, and Jetty would otherwise hold the answer back while it waits to drain that body.
     */
    static void answerNow(Context ctx, Problem problem) {
        refused(problem);
        try {
            var response = ctx.res();
            response.setStatus(problem.status());
            response.setHeader("Connection", "close");
            response.setContentType(Problem.CONTENT_TYPE);
            byte[] body = JSON.writeValueAsBytes(problem);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.flushBuffer();
        } catch (java.io.IOException e) {
            LOG.debug("Could not answer a refused oversized request: {}", e.getMessage());
        }
    }

    /** Every refused request, counted by reason for the operators' metrics (barometer_ingest_refused_total). */
    private static void refused(Problem problem) {
        io.micrometer.core.instrument.Metrics.counter("barometer.ingest.refused", "reason", problem.reason(),
                "status", String.valueOf(problem.status())).increment();
    }

    static void problem(Context ctx, Problem problem) {
        refused(problem);
        try {
            ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).result(JSON.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Avro records as plain JSON maps (times as ISO-8601). */
    static Map<String, Object> asMap(SpecificRecord record) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (var field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            map.put(field.name(), value == null || value instanceof Number || value instanceof Boolean ? value : value.toString());
        }
        return map;
    }

    /** The records of a request body: one JSON object, a JSON array, or NDJSON lines; or, without records, its refusal (none when already answered). */
    record Body(List<JsonNode> records, boolean isBulk, Problem problem) {
        static Body of(Context ctx, int maxRecords) {
            String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
            if (!contentType.startsWith("application/json") && !contentType.contains("ndjson") && !contentType.contains("jsonlines")) {
                return new Body(null, false, Problem.unsupportedMediaType(ctx.contentType()));
            }
            boolean ndjson = contentType.contains("ndjson") || contentType.contains("jsonlines");
            InputStream body = null;
            try {
                body = RequestLimits.body(ctx);
                BodyRecords.Read read = ndjson ? BodyRecords.ndjson(body, maxRecords) : BodyRecords.json(body, maxRecords);
                if (read == null) {
                    return new Body(null, false, Problem.malformed("The body is empty: send a JSON object, a JSON array or NDJSON."));
                }
                return new Body(read.records(), read.isBulk(), null);
            } catch (BodyRecords.TooMany e) {
                // The rest of the body is read past (it is within the body limit), so that a client still
                // sending it gets the answer: import-csv halves its batches on this 413.
                try {
                    body.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException tooLargeOrBroken) {
                    answerNow(ctx, Problem.tooLarge(e.getMessage()));
                    return new Body(null, true, null);
                }
                return new Body(null, true, Problem.tooLarge(e.getMessage()));
            } catch (RequestLimits.TooLarge e) {
                answerNow(ctx, Problem.bodyTooLarge(e.getMessage()));
                return new Body(null, false, null);
            } catch (JsonProcessingException e) {
                return new Body(null, false, Problem.malformed(notJson(e)));
            } catch (java.io.IOException e) {
                return new Body(null, false, Problem.malformed("The body could not be read to its end: "
                        + RecordReader.abbreviate(String.valueOf(e.getMessage()))));
            }
        }

        /** What is wrong with a body that is not JSON, without echoing more than a short excerpt of it. */
        static String notJson(JsonProcessingException e) {
            var at = e.getLocation();
            return "Not valid JSON: " + RecordReader.abbreviate(String.valueOf(e.getOriginalMessage()))
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }

    }
}
