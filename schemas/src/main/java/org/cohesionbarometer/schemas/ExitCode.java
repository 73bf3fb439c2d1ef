package org.cohesionbarometer.schemas;

/**
 * The exit codes every {@code barometer} subcommand gives the shell: the contract scripts and
 * schedulers rely on, one table for all (the README shows it, and each {@code --help} repeats it).
 * 0-2 are picocli's and most command-line tools' own; 130 and 143 are the shell's for a stop by
 * Ctrl-C or SIGTERM, after which the services stop cleanly.
 */
public final class ExitCode {
    /** Done as asked. */
    public static final int OK = 0;
    /** Failed: the message names what went wrong (e.g. a file that cannot be read); with --verbose, the stack trace. */
    public static final int FAILURE = 1;
    /** Usage: an unknown subcommand or option, a missing or malformed value, a bad setting. */
    public static final int USAGE = 2;
    /** Refused: the request was understood but refused (too little data to evaluate, rows or records refused, a token not accepted). */
    public static final int REFUSED = 3;
    /** Unreachable: a service the command needs (the ingest API, Kafka, the schema registry, the database) did not answer. */
    public static final int UNREACHABLE = 4;
    /** Stopped by Ctrl-C (SIGINT), after a clean stop. */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM (docker stop, kill), after a clean stop. */
    public static final int TERMINATED = 143;

    /** The request was understood and refused: the command exits with {@link #REFUSED} and this message. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private ExitCode() {
    }
}
