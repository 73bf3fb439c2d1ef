package org.cohesionbarometer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The completion script is picocli's, made from the whole command tree. */
class CompletionTest {

    @Test
    void theCompletionScriptCompletesEverySubcommandAndTheirOptions() {
        StringWriter out = new StringWriter();
        CommandLine barometer = Barometer.commandLine(false, Map.of()).setOut(new PrintWriter(out));

        int exit = barometer.execute("completion");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("complete -F _complete_barometer");
        for (String subcommand : barometer.getSubcommands().keySet()) {
            assertThat(out.toString()).as(subcommand).contains(subcommand);
        }
        assertThat(out.toString()).contains("--ingest-url").contains("--kafka-port").contains("--jdbc-url");
    }

    @Test
    void onlyTheSubcommandNamedIsBuiltAndTheFullTreeOtherwise() {
        assertThat(Barometer.named("--verbose", "evaluate", "--help")).contains("evaluate");
        assertThat(Barometer.named("--help")).isEmpty();
        assertThat(Barometer.named("completion")).isEmpty();
        assertThat(Barometer.named("evaluat")).isEmpty();
    }
}
