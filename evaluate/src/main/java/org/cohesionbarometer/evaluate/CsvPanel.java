package org.cohesionbarometer.evaluate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV panel as an evaluator hands it over: one row per unit and period, with the separator
 * detected (comma, semicolon, tab or bar) or given, column names and values matched regardless of
 * case, and every problem reported as one sentence naming the option or column to fix
 * ({@link Problem}).
 */
final class CsvPanel {

    /** A value or option that does not fit the file: the command's usage error (exit code 2). */
    static final class Problem extends IllegalArgumentException {
        Problem(String message) {
            super(message);
        }
    }

    private final Path file;
    private final List<String> header;
    private final List<CSVRecord> rows;
    private final char separator;

    private CsvPanel(Path file, List<String> header, List<CSVRecord> rows, char separator) {
        this.file = file;
        this.header = header;
        this.rows = rows;
        this.separator = separator;
    }

    /** @param separator the separator, or {@code null} to detect it from the header line */
    static CsvPanel read(Path file, String separator) throws IOException {
        char sep = separator == null || separator.isEmpty() ? detectSeparator(file) : separatorOf(separator);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            var parser = CSVFormat.DEFAULT.builder().setDelimiter(sep).setHeader().setSkipHeaderRecord(true)
                    .setIgnoreSurroundingSpaces(true).setAllowMissingColumnNames(true).get().parse(reader);
            List<CSVRecord> rows = parser.getRecords();
            return new CsvPanel(file, parser.getHeaderNames(), rows, sep);
        }
    }

    private static char separatorOf(String given) {
        return switch (given.toLowerCase(Locale.ROOT)) {
            case ",", "comma" -> ',';
            case ";", "semicolon" -> ';';
            case "\\t", "\t", "tab" -> '\t';
            case "|", "bar", "pipe" -> '|';
            default -> throw new Problem("--separator must be one of , ; tab | (or comma, semicolon, tab, bar), not '"
                    + given + "'");
        };
    }

    /** The character among , ; tab | that splits the header line into the most fields (outside quotes). */
    static char detectSeparator(Path file) throws IOException {
        String line;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            line = reader.readLine();
        }
        if (line == null) {
            throw new Problem("--csv: " + file + " is empty; it needs a header line and one row per unit and period");
        }
        char best = ',';
        int most = 0;
        for (char c : new char[] {',', ';', '\t', '|'}) {
            int count = 0;
            boolean quoted = false;
            for (char x : line.toCharArray()) {
                quoted ^= x == '"';
                count += !quoted && x == c ? 1 : 0;
            }
            if (count > most) {
                most = count;
                best = c;
            }
        }
        return best;
    }

    char separator() {
        return separator;
    }

    Path file() {
        return file;
    }

    /** The header's name for {@code wanted}, matched exactly or else regardless of case. */
    String column(String option, String wanted) {
        if (header.contains(wanted)) {
            return wanted;
        }
        return header.stream().filter(h -> h.equalsIgnoreCase(wanted)).findFirst().orElseThrow(() -> new Problem(
                option + ": " + file.getFileName() + " has no column '" + wanted + "'; its columns are "
                        + String.join(", ", header) + (header.size() == 1 && header.get(0).length() > 20
                        ? " (one column only: is the separator right? give it with --separator)" : "")));
    }

    List<CSVRecord> rows() {
        return rows;
    }

    /** The column's distinct values, as first seen. */
    List<String> values(String column) {
        Set<String> values = new LinkedHashSet<>();
        rows.forEach(r -> values.add(r.get(column)));
        return new ArrayList<>(values);
    }

    /** {@code wanted} as spelled in the column, matched regardless of case; a problem listing the valid ones if absent. */
    static String match(String option, String what, String wanted, List<String> valid) {
        if (valid.contains(wanted)) {
            return wanted;
        }
        return valid.stream().filter(v -> v.equalsIgnoreCase(wanted.trim())).findFirst().orElseThrow(() -> new Problem(
                option + ": " + what + " has no value '" + wanted + "'; " + listed(valid)));
    }

    static String listed(List<String> values) {
        return (values.size() <= 12 ? "its values are " : "its " + values.size() + " values run ") + valuesText(values);
    }

    /** The values, all of them when few, else the first and last few. */
    static String valuesText(List<String> values) {
        if (values.size() <= 12) {
            return String.join(", ", values);
        }
        return String.join(", ", values.subList(0, 4)) + ", ..., "
                + String.join(", ", values.subList(values.size() - 3, values.size()));
    }

    /** Empty or NA: no figure (the unit did not report), or never treated. */
    static boolean missing(String value) {
        String v = value.trim();
        return v.isEmpty() || v.equalsIgnoreCase("NA") || v.equalsIgnoreCase("NaN") || v.equals(".");
    }

    double number(CSVRecord row, String column) {
        String value = row.get(column).trim();
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            if (value.matches("-?\\d+,\\d+") && separator != ',') {
                return Double.parseDouble(value.replace(',', '.')); // a decimal comma, as in semicolon-separated files
            }
            throw new Problem("--outcome: " + file.getFileName() + " row " + row.getRecordNumber() + " (line "
                    + (row.getRecordNumber() + 1) + "), column '"
                    + column + "' holds '" + value + "', which is not a number (leave it empty or NA where a unit did not report)");
        }
    }

    /**
     * Each unit's first treated period read from a 0/1 (or column=value) indicator, when the
     * indicator switches on within units: empty when it never does (treatment fixed per unit).
     */
    record Switching(Map<String, String> firstTreated, List<String> alwaysTreated) {
    }

    /**
     * @param isTreated whether a row's indicator says treated
     * @param periods the periods in time order
     * @return empty if no unit's indicator changes over time; else each switching unit's first
     *         treated period; a unit whose treatment stops again is refused
     */
    static Optional<Switching> switching(Map<String, TreeMap<Integer, Boolean>> byUnit, List<String> periods,
                                         String treatedOption) {
        Map<String, String> first = new LinkedHashMap<>();
        List<String> always = new ArrayList<>();
        boolean anySwitch = false;
        for (var unit : byUnit.entrySet()) {
            TreeMap<Integer, Boolean> series = unit.getValue();
            boolean seenTreated = false;
            boolean seenUntreated = false;
            Integer start = null;
            for (var cell : series.entrySet()) {
                if (cell.getValue()) {
                    if (start == null) {
                        start = cell.getKey();
                    }
                    seenTreated = true;
                } else {
                    if (seenTreated) {
                        throw new PublishedPanel.NotEnoughData(treatedOption + ": unit " + unit.getKey() + " is treated in "
                                + periods.get(start) + " but not in " + periods.get(cell.getKey()) + "; the evaluation "
                                + "assumes a treatment stays on once started, so correct the column or leave that unit out");
                    }
                    seenUntreated = true;
                }
            }
            if (seenTreated && seenUntreated) {
                anySwitch = true;
                first.put(unit.getKey(), periods.get(start));
            } else if (seenTreated) {
                always.add(unit.getKey());
            }
        }
        return anySwitch ? Optional.of(new Switching(first, always)) : Optional.empty();
    }
}
