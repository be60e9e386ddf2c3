package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator replaces only what lies between its markers, from the record's last rows. */
class ReliabilityDocumentGeneratorTest {

    @TempDir
    Path record;

    @Test
    void aSectionIsReplacedByItsTableAndEverythingElseIsKept() throws Exception {
        Files.writeString(record.resolve("t.tsv"), """
                #\tsuite\tcases
                b\t`B`\t2
                a\t`A`\t1
                b\t`B`\t3
                """, StandardCharsets.UTF_8);
        String document = """
                # Title
                Hand-written text.
                <!-- generated: t -->
                stale table
                <!-- /generated: t -->
                <!-- generated: missing -->
                kept as written
                <!-- /generated: missing -->
                ## HTTP/2 conformance
                Another hand-written section.
                """;

        String regenerated = ReliabilityDocument.regenerate(document, record);

        assertThat(regenerated).isEqualTo("""
                # Title
                Hand-written text.
                <!-- generated: t -->
                | suite | cases |
                |---|---|
                | `A` | 1 |
                | `B` | 3 |
                <!-- /generated: t -->
                <!-- generated: missing -->
                kept as written
                <!-- /generated: missing -->
                ## HTTP/2 conformance
                Another hand-written section.
                """);
        assertThat(ReliabilityDocument.sections(regenerated, record))
                .extracting(ReliabilityDocument.Section::name, ReliabilityDocument.Section::agrees)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("t", true),
                        org.assertj.core.groups.Tuple.tuple("missing", false));
        assertThat(ReliabilityDocument.sections(document, record).getFirst().agrees())
                .as("a stale table disagrees with the record")
                .isFalse();
        assertThat(ReliabilityDocument.regenerate(document, record, name -> !name.equals("t")))
                .as("a section the run does not regenerate is kept as written")
                .isEqualTo(document);
    }

    @Test
    void aDefaultRunChecksTheDefaultTablesALongRunTheLongOnesAndOnlyASoakRunTheSoaks() {
        assertThat(ReliabilityDocument.checkedBy("churn", false, false)).isTrue();
        assertThat(ReliabilityDocument.checkedBy("churn.long", false, false)).isFalse();
        assertThat(ReliabilityDocument.checkedBy("churn", true, false)).isFalse();
        assertThat(ReliabilityDocument.checkedBy("churn.long", true, false)).isTrue();

        assertThat(ReliabilityDocument.checkedBy("soak", false, false))
                .as("the soak runs on demand: a default run does not require its record")
                .isFalse();
        assertThat(ReliabilityDocument.checkedBy("soak", true, false)).isFalse();
        assertThat(ReliabilityDocument.checkedBy("soak", false, true)).isTrue();
        assertThat(ReliabilityDocument.checkedBy("churn", false, true))
                .as("a soak run without -Dtest runs the default suites too")
                .isTrue();

        assertThat(ReliabilityDocument.checkedBy("spring-certificate-reload", false, false))
                .as("the Spring modules check their own tables")
                .isFalse();
        assertThat(ReliabilityDocument.checkedBy("spring-certificate-reload.long", true, false))
                .isFalse();
    }
}
