package dev.httpsd.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RELIABILITY.md's generated sections: each lies between {@code <!-- generated: NAME -->} and
 * {@code <!-- /generated: NAME -->} and is the table {@code NAME} of the {@link ReliabilityRecord},
 * as Markdown. Everything outside the markers is left as written.
 *
 * <p>Regenerate the document from the record of the last test run, from the repository root:
 * {@code java -cp https-server-core/target/test-classes dev.httpsd.server.ReliabilityDocument
 * RELIABILITY.md https-server-core/target/reliability} (or run the suites and write in one go:
 * {@code mvn -B -pl https-server-core -am verify -Dreliability.write=true}).
 */
public final class ReliabilityDocument {

    private static final Pattern SECTION =
            Pattern.compile("(<!-- generated: ([a-z0-9.-]+) -->\\n)(.*?)(<!-- /generated: \\2 -->)", Pattern.DOTALL);

    /** A generated section as the document has it and as the record makes it. */
    public record Section(String name, String inDocument, Optional<String> fromRecord) {

        public boolean agrees() {
            return fromRecord.isPresent() && fromRecord.get().equals(inDocument);
        }
    }

    /**
     * The prefix of the tables the Spring modules' tests record (under their own {@code
     * target/reliability/}) and check in their own build: this module's check leaves them alone.
     */
    public static final String SPRING_TABLES = "spring-";

    private ReliabilityDocument() {}

    /**
     * Whether a run of this module checks the generated section {@code name} against its record.
     * A long variant's table ({@code NAME.long}) only in a long run ({@code -Dhttpsd.long=true}),
     * the default tables in any other; the soak's tables ({@code soak…}), which hold the figures of
     * the run shown, only in a soak run ({@code -Dhttpsd.soak.minutes=N}, on demand like the long
     * variants); never the Spring modules' tables ({@link #SPRING_TABLES}).
     */
    public static boolean checkedBy(String name, boolean longRun, boolean soakRun) {
        if (name.startsWith(SPRING_TABLES)) {
            return false;
        }
        if (name.startsWith("soak")) {
            return soakRun;
        }
        return name.endsWith(".long") == longRun;
    }

    /** Every generated section of {@code document}, in order. */
    public static List<Section> sections(String document, Path record) throws IOException {
        List<Section> sections = new ArrayList<>();
        Matcher m = SECTION.matcher(document);
        while (m.find()) {
            String name = m.group(2);
            sections.add(new Section(
                    name,
                    m.group(3),
                    ReliabilityRecord.Table.read(record, name).map(ReliabilityRecord.Table::markdown)));
        }
        return sections;
    }

    /**
     * The document with every section the record has replaced by the record's table; sections
     * without a record are kept as they are.
     */
    public static String regenerate(String document, Path record) throws IOException {
        return regenerate(document, record, name -> true);
    }

    /**
     * The document with every section that {@code which} names and the record has replaced by the
     * record's table; other sections are kept as they are.
     */
    public static String regenerate(String document, Path record, Predicate<String> which) throws IOException {
        Matcher m = SECTION.matcher(document);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Optional<ReliabilityRecord.Table> table =
                    which.test(m.group(2)) ? ReliabilityRecord.Table.read(record, m.group(2)) : Optional.empty();
            String body = table.map(ReliabilityRecord.Table::markdown).orElse(m.group(3));
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + body + m.group(4)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code ReliabilityDocument <RELIABILITY.md> <record directory>}: rewrites the document. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ReliabilityDocument <RELIABILITY.md> <record directory>");
            System.exit(2);
        }
        Path document = Path.of(args[0]);
        Path record = Path.of(args[1]);
        String before = Files.readString(document, StandardCharsets.UTF_8);
        for (Section section : sections(before, record)) {
            System.out.println(section.name() + ": "
                    + (section.fromRecord().isEmpty()
                            ? "no record, kept"
                            : section.agrees() ? "unchanged" : "rewritten"));
        }
        Files.writeString(document, regenerate(before, record), StandardCharsets.UTF_8);
    }
}
