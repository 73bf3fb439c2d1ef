package org.cohesionbarometer.clients.csv;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.cohesionbarometer.schemas.FieldProblem;

/**
 * The refused rows of a sheet, one line per problem (line, field, value, reason), where the line is
 * the row's line in the sheet as a spreadsheet numbers it. The file is made only when a row is
 * refused: no error file means nothing was.
 */
final class ErrorReport implements Closeable {
    private final Path file;
    private CSVPrinter out;
    private long rows;

    ErrorReport(Path file) {
        this.file = file;
    }

    void write(long line, List<FieldProblem> problems) throws IOException {
        if (out == null) {
            out = new CSVPrinter(Files.newBufferedWriter(file, StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT.builder().setHeader("line", "field", "value", "reason").get());
        }
        for (FieldProblem p : problems) {
            out.printRecord(line, p.field(), p.value(), p.reason());
        }
        rows++;
    }

    /** How many rows were refused. */
    long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
