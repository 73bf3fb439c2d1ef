package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Thousands of random, malformed bodies: the API may refuse them, but never with a 5xx. */
class MalformedBodiesIT {
    private static IngestFixture fixture;

    @BeforeContainer
    static void start() throws Exception {
        fixture = new IngestFixture();
    }

    @AfterContainer
    static void stop() {
        fixture.close();
    }

    private static final String VALID = "{\"eventId\":\"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f\",\"eventTime\":\"2026-03-14T17:00:00Z\","
            + "\"activityId\":\"cafe-north\",\"participantToken\":\"0123456789abcdef0123456789abcdef\",\"groupCode\":\"B\",\"headcount\":2}";

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> noise = Arbitraries.strings().withChars("{}[]\":,0123456789.-+eEtrufalsn \\u/\n").ofMaxLength(300);
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> truncated = Arbitraries.integers().between(0, VALID.length()).map(n -> VALID.substring(0, n));
        Arbitrary<String> spliced = Arbitraries.integers().between(0, VALID.length())
                .flatMap(n -> noise.map(s -> VALID.substring(0, n) + s + VALID.substring(n)));
        Arbitrary<String> wrongTypes = Arbitraries.of("[1,2,3]", "[[]]", "[null]", "null", "true", "42", "\"text\"",
                "{\"eventId\":123,\"eventTime\":[],\"activityId\":{}}", "{\"headcount\":1e400}",
                "{\"headcount\":-99999999999999999999}", "[" + VALID + ",{}]", "{\"eventTime\":\"2026-02-30T25:61:00Z\"}");
        return Arbitraries.oneOf(noise, anything, truncated, spliced, wrongTypes);
    }

    @Property(tries = 1500)
    void noMalformedBodyEverGetsA5xx(@ForAll("bodies") String body, @ForAll("paths") String path,
                                     @ForAll("contentTypes") String contentType) throws Exception {
        HttpResponse<String> response = fixture.send("POST", path, contentType, body);
        assertThat(response.statusCode()).as(body).isLessThan(500);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("/v1/check-ins", "/v1/mixing-contacts", "/v1/sentiment-taps");
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/json", "application/x-ndjson", "text/plain");
    }
}
