package org.cohesionbarometer.clients.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What the import does before it sends anything: rows it refuses itself never reach the API. */
class CsvImportTest {

    /** Keeps what the progress bar drew. */
    private static final class Drawn implements ProgressBarConsumer {
        final List<String> frames = new ArrayList<>();

        @Override
        public int getMaxRenderedLength() {
            return 100;
        }

        @Override
        public void accept(String rendered) {
            frames.add(rendered);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theProgressBarCountsTheSheetsRowsAndEndsAtAHundredPercent(@TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("sheet.csv");
        // Blank lines and a header are not rows; every row here is refused before anything is sent.
        Files.writeString(sheet, "eventTime,activityId\n\n18 Uhr,cafe\n\nsoon,cafe\n\n\nlater,cafe\n\n");
        CsvImport importer = new CsvImport();
        new CommandLine(importer).parseArgs("--file", sheet.toString(), "--token", "cbt_x.y", "--ingest-url", "http://127.0.0.1:1");
        Drawn drawn = new Drawn();
        importer.progressOutput = drawn;

        CsvImport.Summary summary = importer.run();

        assertThat(summary.rows()).isEqualTo(3);
        assertThat(summary.refused()).isEqualTo(3);
        assertThat(drawn.frames).last().asString().contains("100%").contains("3/3");
        assertThat(Files.readAllLines(summary.report())).extracting(l -> l.split(",")[0])
                .containsExactly("line", "3", "5", "8");
    }
}
