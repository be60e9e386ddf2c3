package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md's generated tables are what this build's suites recorded. Runs in its own
 * surefire execution after the module's tests (the {@code reliability-document} execution in the
 * {@code verify} phase), so the record is this build's. With {@code -Dreliability.write=true} it
 * rewrites the document from the record first (the documented way to regenerate it).
 */
class ReliabilityDocumentTest {

    private static final Path DOCUMENT = Path.of("..", "RELIABILITY.md");

    private static final boolean LONG = Boolean.getBoolean("httpsd.long");

    /** The tables the default run's suites write; a document without one of them fails. */
    private static final List<String> DEFAULT_TABLES = List.of(
            "churn",
            "conformance",
            "handshake-flood",
            "hostile-clients",
            "load",
            "memory",
            "send-and-certificates",
            "tls-hostile-suites",
            "websocket");

    @Test
    void everyGeneratedTableOfTheDocumentIsWhatThisBuildRecorded() throws Exception {
        String document = Files.readString(DOCUMENT, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("reliability.write")) {
            document = ReliabilityDocument.regenerate(document, ReliabilityRecord.DIRECTORY);
            Files.writeString(DOCUMENT, document, StandardCharsets.UTF_8);
        }
        List<ReliabilityDocument.Section> sections =
                ReliabilityDocument.sections(document, ReliabilityRecord.DIRECTORY);

        assertThat(sections)
                .extracting(ReliabilityDocument.Section::name)
                .as("the generated sections of RELIABILITY.md")
                .containsAll(DEFAULT_TABLES)
                .doesNotHaveDuplicates();
        // the long variants' tables are checked by a long run, the default ones by a default run
        List<ReliabilityDocument.Section> thisVariant = sections.stream()
                .filter(s -> s.name().endsWith(".long") == LONG)
                .toList();
        // no long-variant table is in the document until a long run has generated one
        assumeTrue(!thisVariant.isEmpty(), "RELIABILITY.md has no generated table of this variant yet");
        for (ReliabilityDocument.Section section : thisVariant) {
            assertThat(section.fromRecord())
                    .as(
                            "a record of table '%s' under https-server-core/%s: the suites that write it did not run",
                            section.name(), ReliabilityRecord.DIRECTORY)
                    .isPresent();
            assertThat(section.inDocument())
                    .as(
                            "RELIABILITY.md's table '%s' against this build's record; regenerate with"
                                    + " mvn -B -pl https-server-core -am verify -Dreliability.write=true",
                            section.name())
                    .isEqualTo(section.fromRecord().orElseThrow());
        }
    }
}
