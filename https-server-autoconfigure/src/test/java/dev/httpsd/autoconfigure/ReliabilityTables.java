package dev.httpsd.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This module's part of RELIABILITY.md's generated tables: the tests write what they asserted to
 * {@code target/reliability/<table>.tsv} in the core's record format (first line {@code #} and the
 * column names, then per row a key and the cells, tab-separated; the last row of a key counts, rows
 * in key order), and {@link ReliabilityDocumentTests} compares the document's {@code <!-- generated:
 * spring-… -->} sections with them. The core's generator ({@code dev.httpsd.server.ReliabilityDocument})
 * regenerates these sections from this module's directory as it does the core's.
 *
 * <p>The core's {@code ReliabilityRecord} lives in the core's test tree, which this module cannot
 * see: the core builds no test-jar, and making one only for this would put the core's whole test
 * tree (and its test dependencies' versions) on this module's class path. The format is small and
 * fixed, and the document check fails if the two ever render a table differently.
 */
public final class ReliabilityTables {

    /** Where the record goes, relative to the module directory (surefire's working directory). */
    static final Path DIRECTORY = Path.of("target", "reliability");

    /** The prefix of every table this module records; the core's check leaves such sections alone. */
    static final String PREFIX = "spring-";

    private static final Pattern SECTION =
            Pattern.compile("(<!-- generated: ([a-z0-9.-]+) -->\\n)(.*?)(<!-- /generated: \\2 -->)", Pattern.DOTALL);

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Set<String> STARTED = new HashSet<>();

    private ReliabilityTables() {}

    /** Writes (or replaces) the row {@code key} of {@code table}, one cell per column of {@code header}. */
    public static void row(String table, List<String> header, String key, List<String> cells) {
        if (!table.startsWith(PREFIX)) {
            throw new IllegalArgumentException("this module's tables are named " + PREFIX + "…: " + table);
        }
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

    /** The table {@code name} of the record in {@code directory} as Markdown; empty without a record. */
    static Optional<String> markdown(Path directory, String name) throws IOException {
        Path file = directory.resolve(name + ".tsv");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
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
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header)).append(" |\n");
        out.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows.values()) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return Optional.of(out.toString());
    }

    /** The document's generated sections of this module, name to the table between the markers. */
    static Map<String, String> sections(String document) {
        Map<String, String> sections = new LinkedHashMap<>();
        Matcher m = SECTION.matcher(document);
        while (m.find()) {
            if (m.group(2).startsWith(PREFIX)) {
                sections.merge(m.group(2), m.group(3), (a, b) -> {
                    throw new IllegalStateException("two sections named " + m.group(2));
                });
            }
        }
        return sections;
    }

    /** The document with this module's sections replaced by the record's tables, where it has them. */
    static String regenerate(String document, Path directory) throws IOException {
        Matcher m = SECTION.matcher(document);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String body = m.group(3);
            if (m.group(2).startsWith(PREFIX)) {
                body = markdown(directory, m.group(2)).orElse(body);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + body + m.group(4)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
