package dev.httpsd.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The machine-readable record of what the reliability suites measured, from which {@link
 * ReliabilityDocument} generates RELIABILITY.md's tables: one file per table under {@code
 * target/reliability/}, {@code <table>.tsv}, first line the column names, then one row per line,
 * each a key and the cells, tab-separated. A row written again under the same key replaces the
 * earlier one; rows are shown in key order.
 *
 * <p>A table's file is started afresh the first time this JVM writes to it, so it holds only what
 * this test run measured; a run of some suites leaves the other tables' files as they were.
 * Cells are what the suite asserted (counts it checks exactly, the limits it configured, the
 * bounds it enforces), never a timing or count that differs from run to run: the document is
 * compared with the record in every {@code mvn verify}.
 */
public final class ReliabilityRecord {

    /** Where the record goes, relative to the module directory (surefire's working directory). */
    public static final Path DIRECTORY = Path.of("target", "reliability");

    /** The churn table's columns, written by the plain and the TLS churn tests. */
    public static final List<String> CHURN_HEADER =
            List.of("churn", "connections end", "connections", "probes during the churn", "afterwards");

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Set<String> STARTED = new HashSet<>();

    private ReliabilityRecord() {}

    /**
     * Writes (or replaces) the row {@code key} of {@code table}.
     *
     * @param header the table's column names; the same for every row of a table
     * @param cells one per column
     */
    public static void row(String table, List<String> header, String key, List<String> cells) {
        if (header.size() != cells.size()) {
            throw new IllegalArgumentException(header.size() + " columns but " + cells.size() + " cells: " + cells);
        }
        Path file = DIRECTORY.resolve(table + ".tsv");
        LOCK.lock();
        try {
            Files.createDirectories(DIRECTORY);
            if (STARTED.add(table)) {
                Files.writeString(file, line("#", header), StandardCharsets.UTF_8);
            }
            Files.writeString(file, line(key, cells), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            LOCK.unlock();
        }
    }

    private static String line(String key, List<String> cells) {
        for (String cell : cells) {
            if (cell.contains("\t") || cell.contains("\n") || cell.contains("|")) {
                throw new IllegalArgumentException("a cell holds a tab, a line break or a '|': " + cell);
            }
        }
        return key + "\t" + String.join("\t", cells) + "\n";
    }

    /** A table read back: its header and its rows in key order (the last row of each key). */
    public record Table(String name, List<String> header, List<List<String>> rows) {

        /** Reads {@code <name>.tsv} from {@code directory}; empty when there is no such file. */
        static java.util.Optional<Table> read(Path directory, String name) throws IOException {
            Path file = directory.resolve(name + ".tsv");
            if (!Files.isRegularFile(file)) {
                return java.util.Optional.empty();
            }
            List<String> header = null;
            Map<String, List<String>> rows = new TreeMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isEmpty()) {
                    continue;
                }
                List<String> fields = List.of(line.split("\t", -1));
                if (fields.getFirst().equals("#")) {
                    header = fields.subList(1, fields.size());
                } else {
                    rows.put(fields.getFirst(), fields.subList(1, fields.size()));
                }
            }
            if (header == null) {
                throw new IOException(file + " has no header line");
            }
            return java.util.Optional.of(new Table(name, header, new ArrayList<>(new LinkedHashMap<>(rows).values())));
        }

        /** As a Markdown table. */
        String markdown() {
            StringBuilder out = new StringBuilder();
            out.append("| ").append(String.join(" | ", header)).append(" |\n");
            out.append("|").append("---|".repeat(header.size())).append('\n');
            for (List<String> row : rows) {
                out.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
            return out.toString();
        }
    }
}
