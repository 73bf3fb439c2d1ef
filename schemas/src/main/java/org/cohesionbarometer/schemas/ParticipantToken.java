package org.cohesionbarometer.schemas;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A participant's pseudonym, the only thing about a person that enters Kafka: 32 to 128 lowercase
 * hexadecimal characters (128 to 512 bits), made on the organiser's side as the HMAC-SHA256 of
 * whatever the organiser knows the person by (a name, a membership number, a card number), keyed
 * with the organiser's own secret salt, which never leaves the organiser's machine.
 *
 * <p>Hexadecimal only, because a name, an e-mail address or a phone number cannot pass for one:
 * {@code anna.schmidt}, {@code tel:004915112345678} and {@code mobile_015112345678} are refused, and
 * so is anything shorter than 128 bits, which a salt-less hash of a phone number could be guessed
 * from. The same person gets the same token as long as the organiser keeps the same salt, which is
 * what the barometer needs to tell a first visit from a return.
 *
 * <p>What a device or an app does, in a shell: {@code printf '%s' 'anna schmidt' | openssl dgst
 * -sha256 -hmac "$SALT"} (the identifier trimmed, with its spaces collapsed, in lower case and
 * Unicode NFC, as {@link #of} does), the hex digest being the token.
 */
public final class ParticipantToken {
    /** The shape every token has. */
    public static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32,128}");

    /** How to make a valid token, in words for the organiser who sent an invalid one. */
    public static final String HOW_TO_MAKE_ONE = "a participant token is 32 to 128 lowercase hex characters (at least"
            + " 128 bits): the HMAC-SHA256 of what you know the person by (a name or membership number) keyed with your"
            + " organisation's own secret salt, e.g. printf '%s' 'anna schmidt' | openssl dgst -sha256 -hmac \"$SALT\";"
            + " never send a name, e-mail, phone number or device id (import-csv makes tokens from a 'participant'"
            + " column; see the README's 'Participant tokens')";

    /** Whether the text has a token's shape. */
    public static boolean isValid(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    /**
     * The token of a person known by {@code identifier}, with the organiser's {@code salt}: the hex
     * HMAC-SHA256 of the identifier trimmed, its inner spaces collapsed to one, in lower case and in
     * Unicode NFC, so that "Anna  Schmidt " on one sheet and "anna schmidt" on another are one person.
     */
    public static String of(String salt, String identifier) {
        if (salt == null || salt.isBlank()) {
            throw new IllegalArgumentException("a participant token needs the organiser's secret salt");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(normalised(identifier).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /** The identifier as it is hashed: trimmed, inner spaces collapsed, lower case, NFC. */
    static String normalised(String identifier) {
        return Normalizer.normalize(identifier.strip().replaceAll("\\s+", " "), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    private ParticipantToken() {
    }
}
