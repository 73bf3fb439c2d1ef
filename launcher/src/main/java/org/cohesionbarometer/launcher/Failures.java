package org.cohesionbarometer.launcher;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.cohesionbarometer.schemas.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How every subcommand ends when it cannot do its task: one plain sentence on standard error
 * naming what to fix, the exit code from the one table ({@link ExitCode}), and the stack trace
 * only with {@code --verbose}.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    private final boolean verbose;

    Failures(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException problem, String[] args) {
        CommandLine command = problem.getCommandLine();
        PrintWriter err = command.getErr();
        if (verbose) {
            problem.printStackTrace(err);
        }
        err.println(command.getColorScheme().errorText(command.getCommandSpec().qualifiedName() + ": " + problem.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(problem, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception problem, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (verbose) {
            problem.printStackTrace(err);
        }
        Failure failure = of(problem, command.getCommandSpec());
        err.println(command.getColorScheme().errorText(command.getCommandSpec().qualifiedName() + ": " + failure.sentence()
                + (verbose || failure.exitCode() != ExitCode.FAILURE ? "" : " (--verbose shows the stack trace)")));
        err.flush();
        return failure.exitCode();
    }

    record Failure(int exitCode, String sentence) {
    }

    /** What went wrong, as an exit code and one sentence, from the exception and the options the command was given. */
    static Failure of(Throwable problem, CommandSpec command) {
        if (problem instanceof ExitCode.Refused refused) {
            return new Failure(ExitCode.REFUSED, sentence(refused.getMessage()));
        }
        Optional<Throwable> unreachable = causes(problem).stream().filter(Failures::isUnreachable).findFirst();
        if (unreachable.isPresent()) {
            return new Failure(ExitCode.UNREACHABLE, unreachable(unreachable.get(), command));
        }
        Optional<Throwable> missingFile = causes(problem).stream()
                .filter(t -> t instanceof NoSuchFileException || t instanceof AccessDeniedException).findFirst();
        if (missingFile.isPresent()) {
            String path = ((java.nio.file.FileSystemException) missingFile.get()).getFile();
            return new Failure(ExitCode.FAILURE, missingFile.get() instanceof NoSuchFileException
                    ? "there is no file " + path + "; check the path."
                    : "cannot read or write " + path + "; check its permissions.");
        }
        if (problem instanceof IllegalArgumentException || problem instanceof CommandLine.ParameterException) {
            return new Failure(ExitCode.USAGE, sentence(withFlags(problem.getMessage(), command)));
        }
        String message = problem.getMessage() != null ? problem.getMessage() : problem.getClass().getSimpleName();
        return new Failure(ExitCode.FAILURE, sentence(message));
    }

    private static boolean isUnreachable(Throwable t) {
        return t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                || t instanceof HttpConnectTimeoutException
                || t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")
                || t instanceof org.apache.kafka.common.errors.TimeoutException;
    }

    /** Names the address the command could not reach and the flag and variable that set it. */
    private static String unreachable(Throwable cause, CommandSpec command) {
        List<String> candidates = cause instanceof SQLException ? List.of("--jdbc-url")
                : cause instanceof org.apache.kafka.common.errors.TimeoutException ? List.of("--kafka-bootstrap")
                : List.of("--ingest-url", "--schema-registry-url", "--kafka-bootstrap");
        for (String flag : candidates) {
            OptionSpec option = command.findOption(flag);
            if (option != null) {
                Object value = option.getValue();
                String variable = Settings.ofFlag(EnvironmentDefaults.subcommandOf(command), flag)
                        .map(s -> " or " + s.variable()).orElse("");
                return "nothing answers at " + (value == null ? "the address" : value) + " (" + oneLine(cause) + "); start it"
                        + (flag.equals("--ingest-url") ? " (./barometer run, or ./barometer ingest)" : "")
                        + ", or give its address with " + flag + variable + ".";
            }
        }
        return "cannot reach a service it needs (" + oneLine(cause) + "); check that it runs and its address.";
    }

    /** The cause's first sentence, e.g. "Connection to localhost:1 refused". */
    private static String oneLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t instanceof ConnectException ? "connection refused" : t.getClass().getSimpleName();
        }
        String line = message.lines().findFirst().orElse("");
        int end = line.indexOf(". ");
        return (end > 0 ? line.substring(0, end) : line).replaceAll("\\.$", "");
    }

    /** A setting named by its variable is named by its flag too, since either may have set it. */
    private static String withFlags(String message, CommandSpec command) {
        if (message == null) {
            return null;
        }
        String result = message;
        for (Setting setting : Settings.ALL) {
            if (result.contains(setting.variable()) && command.findOption(setting.flag()) != null
                    && !result.contains(setting.flag())) {
                result = result.replaceFirst("\\b" + setting.variable() + "\\b", setting.flag() + " / " + setting.variable());
            }
        }
        return result;
    }

    private static List<Throwable> causes(Throwable problem) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = problem; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** One sentence: the message's first line, ending with a full stop. */
    private static String sentence(String message) {
        String line = message == null ? "failed" : message.strip().lines().findFirst().orElse("failed").strip();
        return line.endsWith(".") || line.endsWith("?") || line.endsWith(")") ? line : line + ".";
    }
}
