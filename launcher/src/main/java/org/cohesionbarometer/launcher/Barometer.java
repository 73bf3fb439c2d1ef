package org.cohesionbarometer.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.cohesionbarometer.allinone.DemoBulletin;
import org.cohesionbarometer.allinone.DemoCityReport;
import org.cohesionbarometer.benchmarks.Benchmarks;
import org.cohesionbarometer.evaluate.BulletinCommand;
import org.cohesionbarometer.evaluate.EvaluateCommand;
import org.cohesionbarometer.clients.ClientsCli;
import org.cohesionbarometer.clients.csv.CsvImport;
import org.cohesionbarometer.schemas.ExitCode;
import org.cohesionbarometer.sink.export.OpenDataExport;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * {@code barometer}: one program, a subcommand per task. The subcommands are the modules' own
 * picocli commands, added here as they are, so that their options are defined in one place; this
 * class adds what they share: flags that equal environment variables, one table of exit codes,
 * errors as one sentence (the stack trace with {@code --verbose}), and shell completion.
 */
@Command(name = "barometer", mixinStandardHelpOptions = true, versionProvider = Barometer.Version.class,
        description = {"The community cohesion barometer: signals from intercultural activities -> Kafka -> "
                + "per-neighbourhood indicators -> PostgreSQL -> Grafana.", "",
                "Every flag of a service can also be set by its environment variable (BAROMETER_...); the flag wins."},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Start with 'barometer run', then see 'barometer <command> --help'."})
public final class Barometer implements Runnable {

    /** The exit codes, shown in every command's help; the same table is in the README. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "on an error, print the stack trace too")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return commandLine(Arrays.asList(args).contains("--verbose"), System.getenv(), named(args)).execute(args);
    }

    /**
     * The subcommand the arguments name, if any: only that one is built, since building all of them
     * (Jackson, HTTP clients, reflection over every option) takes longer than most commands' work.
     */
    static Optional<String> named(String... args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return SUBCOMMANDS.containsKey(arg) && !arg.equals("completion") ? Optional.of(arg) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Each subcommand, in the order the help lists them, made only when needed. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("run", Services.Run::new);
        all.put("ingest", Services.Ingest::new);
        all.put("streams", Services.Streams::new);
        all.put("sink", Services.Sink::new);
        all.put("simulate", () -> new CommandLine(new ClientsCli()).getSubcommands().get("simulate"));
        all.put("import-csv", CsvImport::new);
        all.put("tokens", () -> new CommandLine(new ClientsCli()).getSubcommands().get("tokens"));
        all.put("reference", ReferenceData::new);
        all.put("export", OpenDataExport::new);
        all.put("evaluate", EvaluateCommand::new);
        all.put("report", BulletinCommand::new);
        all.put("demo-report", DemoReport::new);
        all.put("demo-bulletin", DemoBulletinCommand::new);
        all.put("bench", Benchmarks::new);
        all.put("drill", org.cohesionbarometer.allinone.drill.KillDrill::new);
        all.put("completion", Completion::new);
        return all;
    }

    /** The whole command tree, reading flag defaults from {@code environment}. */
    static CommandLine commandLine(boolean verbose, Map<String, String> environment) {
        return commandLine(verbose, environment, Optional.empty());
    }

    /** The command tree with every subcommand, or only {@code only}, reading flag defaults from {@code environment}. */
    static CommandLine commandLine(boolean verbose, Map<String, String> environment, Optional<String> only) {
        CommandLine barometer = new CommandLine(new Barometer());
        SUBCOMMANDS.forEach((name, command) -> {
            if (only.isEmpty() || only.get().equals(name)) {
                barometer.addSubcommand(name, command.get());
            }
        });
        for (String service : new String[] {"run", "ingest", "streams", "sink"}) {
            if (barometer.getSubcommands().containsKey(service)) {
                ServiceSettings.addFlags(barometer.getSubcommands().get(service).getCommandSpec(), service);
            }
        }
        Failures failures = new Failures(verbose);
        barometer.setCaseInsensitiveEnumValuesAllowed(true)
                .setDefaultValueProvider(new EnvironmentDefaults(environment))
                .setExecutionExceptionHandler(failures)
                .setParameterExceptionHandler(failures)
                .setExitCodeExceptionMapper(problem -> Failures.of(problem, barometer.getCommandSpec()).exitCode());
        showExitCodes(barometer);
        return barometer;
    }

    private static void showExitCodes(CommandLine command) {
        command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        command.getSubcommands().values().forEach(Barometer::showExitCodes);
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(ExitCode.OK + "", "done");
        codes.put(ExitCode.FAILURE + "", "failed (the message says why; --verbose adds the stack trace)");
        codes.put(ExitCode.USAGE + "", "usage: unknown command or option, missing or malformed value, bad setting");
        codes.put(ExitCode.REFUSED + "", "refused: too little data to evaluate, rows or entries refused, token not accepted");
        codes.put(ExitCode.UNREACHABLE + "", "unreachable: the ingest API, Kafka, the registry or the database did not answer");
        codes.put(ExitCode.INTERRUPTED + "", "stopped by Ctrl-C (services stop cleanly first)");
        codes.put(ExitCode.TERMINATED + "", "stopped by SIGTERM (services stop cleanly first)");
        return codes;
    }

    @Command(name = "demo-report", mixinStandardHelpOptions = true,
            description = "Twelve weeks of the demo city written through the sink into an embedded PostgreSQL, then "
                    + "evaluated: a self-contained HTML report.")
    static final class DemoReport implements Callable<Integer> {
        @Parameters(arity = "0..1", defaultValue = "target/demo-city-report.html", description = "where to write the report (default ${DEFAULT-VALUE})")
        Path html;

        @Override
        public Integer call() throws Exception {
            Path file = html.toAbsolutePath();
            Files.createDirectories(file.getParent());
            return DemoCityReport.write(file);
        }
    }

    @Command(name = "demo-bulletin", mixinStandardHelpOptions = true,
            description = "October and November 2026 of the demo city, Riverton, and its neighbour, Lakeside, written through "
                    + "the sink into an embedded PostgreSQL; then Riverton's November bulletin, made as the read-only role.")
    static final class DemoBulletinCommand implements Callable<Integer> {
        @Parameters(arity = "0..1", defaultValue = "target/demo-city-bulletin.html",
                description = "where to write the bulletin (default ${DEFAULT-VALUE})")
        Path html;

        @Override
        public Integer call() throws Exception {
            Path file = html.toAbsolutePath();
            Files.createDirectories(file.getParent());
            return DemoBulletin.write(file);
        }
    }

    @Command(name = "completion", mixinStandardHelpOptions = true,
            description = {"Print the bash/zsh completion script, e.g.:", "  source <(barometer completion)",
                    "(The distribution also carries it as barometer_completion.)"})
    static final class Completion implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(AutoComplete.bash("barometer", spec.root().commandLine()));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Barometer.class.getPackage().getImplementationVersion();
            return new String[] {"barometer " + (version == null ? "(development build)" : version)};
        }
    }
}
