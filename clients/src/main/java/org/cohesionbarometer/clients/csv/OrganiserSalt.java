package org.cohesionbarometer.clients.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.cohesionbarometer.schemas.ParticipantToken;

/**
 * The organiser's own secret salt, kept in a file on the organiser's machine and never sent: with
 * it, {@code import-csv} turns the names or membership numbers of a sheet into participant tokens
 * ({@link ParticipantToken#of}), so that the same person gets the same token on every sheet and
 * nothing identifying leaves the machine. The file is made, readable by its owner only, the first
 * time a sheet needs it.
 */
public final class OrganiserSalt {
    /** Where the salt is kept unless --salt-file says otherwise: the organiser's home folder. */
    public static final Path DEFAULT_FILE = Path.of(System.getProperty("user.home"), ".barometer", "participant-salt");

    private final Path file;
    private final Consumer<String> notice;
    private String salt;

    /** @param notice told, once, when the salt file is made */
    public OrganiserSalt(Path file, Consumer<String> notice) {
        this.file = file;
        this.notice = notice;
    }

    /** The token of the person the sheet names by {@code identifier}. */
    public String tokenOf(String identifier) {
        return ParticipantToken.of(salt(), identifier);
    }

    private synchronized String salt() {
        if (salt == null) {
            try {
                salt = Files.exists(file) ? read() : create();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read or make the salt file " + file + ": " + e.getMessage(), e);
            }
        }
        return salt;
    }

    private String read() throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.length() < 32) {
            throw new IOException("it holds " + text.length() + " characters, a salt has at least 32;"
                    + " restore it from your backup, or give another one with --salt-file");
        }
        return text;
    }

    private String create() throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String made = HexFormat.of().formatHex(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.writeString(file, made + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException madeMeanwhile) {
            return read();
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file stays as private as the user's profile folder
        }
        notice.accept("Made your organisation's secret salt in " + file + ": names and membership numbers are turned into"
                + " participant tokens with it, and it never leaves this machine. Keep it and back it up: the same person"
                + " gets the same token only with the same salt.");
        return made;
    }
}
