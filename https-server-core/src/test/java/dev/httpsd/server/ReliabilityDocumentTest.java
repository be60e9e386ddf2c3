package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md's generated tables are what this build's suites recorded. Runs in its own
 * surefire execution after the module's tests (the {@code reliability-document} execution in the
 * {@code verify} phase), so the record is this build's. With {@code -Dreliability.write=true} it
 * rewrites this variant's tables from the record first (the documented way to regenerate them).
 */
class ReliabilityDocumentTest {

    private static final Path DOCUMENT = Path.of("..", "RELIABILITY.md");

    private static final boolean LONG = Boolean.getBoolean("httpsd.long");

    /** A soak run ({@code -Dhttpsd.soak.minutes=N}) checks the soak's table too. */
    private static final boolean SOAK = Integer.getInteger("httpsd.soak.minutes", 0) > 0;

    /** The tables the default run's suites write; a document without one of them fails. */
    private static final List<String> DEFAULT_TABLES = List.of(
            "churn",
            "conformance",
            "fuzz-seeds",
            "handshake-flood",
            "hostile-clients",
            "http2-rapid-reset",
            "load",
            "memory",
            "selected-certificates",
            "send-and-certificates",
            "send-progress",
            "tls-hostile-suites",
            "websocket",
            "websocket-senders");

    /** The tables of the long variants ({@code -Dhttpsd.long=true}), and of the soak. */
    private static final List<String> ON_DEMAND_TABLES = List.of(
            "churn.long",
            "conformance.long",
            "handshake-flood.long",
            "http2-rapid-reset.long",
            "load.long",
            "memory.long",
            "selected-certificates.long",
            "send-progress.long",
            "soak",
            "websocket-senders.long");

    @Test
    void everyGeneratedTableOfTheDocumentIsWhatThisBuildRecorded() throws Exception {
        String document = Files.readString(DOCUMENT, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("reliability.write")) {
            // only this variant's tables: a long run also writes some default tables, which only a
            // default run may regenerate
            document = ReliabilityDocument.regenerate(
                    document, ReliabilityRecord.DIRECTORY, name -> ReliabilityDocument.checkedBy(name, LONG, SOAK));
            Files.writeString(DOCUMENT, document, StandardCharsets.UTF_8);
        }
        List<ReliabilityDocument.Section> sections =
                ReliabilityDocument.sections(document, ReliabilityRecord.DIRECTORY);

        assertThat(sections)
                .extracting(ReliabilityDocument.Section::name)
                .as("the generated sections of RELIABILITY.md")
                .containsAll(DEFAULT_TABLES)
                .containsAll(ON_DEMAND_TABLES)
                .doesNotHaveDuplicates();
        // the long variants' tables are checked by a long run, the default ones by a default run,
        // the soak's by a soak run
        List<ReliabilityDocument.Section> thisVariant = sections.stream()
                .filter(s -> ReliabilityDocument.checkedBy(s.name(), LONG, SOAK))
                .toList();
        assertThat(thisVariant)
                .as("RELIABILITY.md's generated tables of this variant")
                .isNotEmpty();
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
