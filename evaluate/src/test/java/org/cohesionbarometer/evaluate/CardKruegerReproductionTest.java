package org.cohesionbarometer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Card & Krueger (1994), Table 3, from the copy of their data kept in the repository (docs/data, with its source). */
class CardKruegerReproductionTest {
    private static Panel panel;

    /** The module's directory is the working directory of its tests; the repository root is its parent. */
    private static Path dataFile() {
        return Path.of(System.getProperty("user.dir")).getParent().resolve("docs/data/card-krueger-1994-fte.csv");
    }

    @BeforeAll
    static void readTheStores() throws Exception {
        panel = Panel.fromCsv(dataFile(), new Panel.Columns("store", "period", "fte", "state", "NJ", Set.of("after")));
    }

    @Test
    void groupMeansOfEveryStoreMatchTable3() {
        GroupMeans means = GroupMeans.of(panel);

        assertThat(means.controlBefore().mean()).isCloseTo(23.33, within(0.005));
        assertThat(means.controlAfter().mean()).isCloseTo(21.17, within(0.005));
        assertThat(means.treatedBefore().mean()).isCloseTo(20.44, within(0.005));
        assertThat(means.treatedAfter().mean()).isCloseTo(21.03, within(0.005));
        assertThat(means.controlBefore().standardError()).isCloseTo(1.35, within(0.005));
        assertThat(means.treatedAfter().standardError()).isCloseTo(0.52, within(0.005));
        assertThat(means.differenceInDifferences()).isCloseTo(2.754, within(0.0005));
    }

    @Test
    void balancedSampleDifferenceInDifferencesIs275WithStandardError134() {
        DifferenceInDifferences.Result did = DifferenceInDifferences.estimate(panel);

        assertThat(did.treatedUnits()).isEqualTo(309);
        assertThat(did.controlUnits()).isEqualTo(75);
        assertThat(did.control().change()).isCloseTo(-2.28, within(0.005));
        assertThat(did.control().standardError()).isCloseTo(1.25, within(0.005));
        assertThat(did.treated().change()).isCloseTo(0.47, within(0.005));
        assertThat(did.treated().standardError()).isCloseTo(0.48, within(0.005));
        assertThat(did.balanced().effect()).isCloseTo(2.75, within(0.005));
        assertThat(did.balanced().standardError()).isCloseTo(1.34, within(0.005));
        assertThat(did.balanced().pValue()).isBetween(0.01, 0.05);
    }

    @Test
    void theCommandWritesTheEstimateAsJson(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dataFile();
        Path json = dir.resolve("results.json");

        int exit = new picocli.CommandLine(new EvaluateCommand()).execute("--csv", file.toString(), "--unit", "store",
                "--outcome", "fte", "--treated", "state=NJ", "--post", "after", "--permutations", "0", "--json", json.toString());

        assertThat(exit).isZero();
        var results = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertThat(results.at("/differenceInDifferences/balanced/effect").asDouble()).isCloseTo(2.75, within(0.005));
        assertThat(results.at("/differenceInDifferences/balanced/standardError").asDouble()).isCloseTo(1.34, within(0.005));
        assertThat(results.at("/groupMeans/controlBefore/mean").asDouble()).isCloseTo(23.33, within(0.005));
    }

    @Test
    void aRowThatIsNeitherANumberNorMissingIsRefusedNamingRowAndColumn(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "store,state,period,fte\nA,NJ,before,12\nA,NJ,after,lots\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Panel.fromCsv(bad,
                        new Panel.Columns("store", "period", "fte", "state", "NJ", Set.of("after"))))
                .hasMessageContaining("row 2").hasMessageContaining("'fte'").hasMessageContaining("'lots'");
    }
}
