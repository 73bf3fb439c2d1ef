package org.cohesionbarometer.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An organiser's API token, {@code cbt_<tokenId>.<secret>}: a public id to find the stored
 * record by, and a 256-bit random secret of which the barometer keeps only the SHA-256. A
 * secret this long needs no slow password hash: nobody can guess it, only steal it, and a stolen
 * hash does not open the door. {@link #toString()} withholds the secret, so a token that reaches a
 * log line by mistake still does not leak.
 */
public record ApiToken(String tokenId, String secret) {
    static final String PREFIX = "cbt_";
    private static final Pattern SHAPE = Pattern.compile("cbt_([a-z0-9]{12})\\.([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new token with a random id and secret. */
    public static ApiToken issue() {
        byte[] id = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new ApiToken(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The token in a bearer credential, if it has a token's shape. */
    public static Optional<ApiToken> parse(String text) {
        var match = SHAPE.matcher(text.trim());
        return match.matches() ? Optional.of(new ApiToken(match.group(1), match.group(2))) : Optional.empty();
    }

    /** What the organiser sends: {@code cbt_<tokenId>.<secret>}. */
    public String value() {
        return PREFIX + tokenId + "." + secret;
    }

    /** The hex SHA-256 of the secret: what is stored. */
    public String secretSha256() {
        return sha256(secret);
    }

    /** Whether this token's secret is the one whose hash was stored (constant-time comparison). */
    public boolean matches(String storedSha256) {
        return MessageDigest.isEqual(secretSha256().getBytes(StandardCharsets.US_ASCII),
                storedSha256.getBytes(StandardCharsets.US_ASCII));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return PREFIX + tokenId + ".<secret withheld>";
    }
}
