package org.cohesionbarometer.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * What one request may hold, enforced while it is read: the body's size (whether its length is
 * announced or it arrives in chunks), how deeply its JSON nests, how long a number or a string may
 * be, no key twice in one object, and how many fields a record may have. Nothing a client sends can
 * make the server hold more than these in memory or answer with more than a bounded list.
 */
final class RequestLimits {
    /** The largest body: 5,000 records of a few hundred bytes fit with room to spare. */
    static final long MAX_BODY_BYTES = 16L * 1024 * 1024;
    /** A record is an object in an array at most; anything deeper is not a barometer record. */
    static final int MAX_NESTING = 16;
    /** Digits of a number: a long has 19; more can only overflow. */
    static final int MAX_NUMBER_LENGTH = 40;
    /** Characters of one string: the longest field (a title or a location) is far shorter. */
    static final int MAX_STRING_LENGTH = 10_000;
    /** Fields of one record: every signal and reference record has fewer than 16. */
    static final int MAX_FIELDS = 32;
    /** Problems listed for one record; beyond these, one more problem says how many more there were. */
    static final int MAX_PROBLEMS_PER_RECORD = 10;

    /** JSON as the API reads it: within the limits above, a key twice in an object refused. */
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .build())
            .build()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    /** The body was larger than {@link #MAX_BODY_BYTES}; reading stopped there. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("The body is larger than " + MAX_BODY_BYTES / (1024 * 1024) + " MB; send fewer records per request."
                    + " Nothing from this request was stored.");
        }
    }

    /**
     * The body as it arrives, up to the limit: a body announced larger is refused before it is
     * read, and one that arrives in chunks as soon as it passes the limit ({@link TooLarge}).
     */
    static InputStream body(Context ctx) throws IOException {
        long announced = ctx.req().getContentLengthLong();
        if (announced > MAX_BODY_BYTES) {
            throw new TooLarge();
        }
        InputStream in = ctx.req().getInputStream();
        return new InputStream() {
            private long read;

            @Override
            public int read() throws IOException {
                int b = in.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) throws TooLarge {
                read += n;
                if (read > MAX_BODY_BYTES) {
                    throw new TooLarge();
                }
            }
        };
    }

    private RequestLimits() {
    }
}
