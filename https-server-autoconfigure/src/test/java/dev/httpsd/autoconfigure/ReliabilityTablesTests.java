package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record is read as the core reads its own, and only this module's sections are touched. */
class ReliabilityTablesTests {

    @TempDir
    Path record;

    @Test
    void thisModulesSectionsAreRegeneratedFromTheirLastRowsAndTheCoresAreLeftAlone() throws Exception {
        Files.writeString(record.resolve("spring-t.tsv"), """
                #\trun\tclients
                b\tlong\t16
                a\tdefault\t4
                b\tlong\t17
                """, StandardCharsets.UTF_8);
        Files.writeString(record.resolve("churn.tsv"), "#\tx\nk\ty\n", StandardCharsets.UTF_8);
        String document = """
                Hand-written.
                <!-- generated: spring-t -->
                stale
                <!-- /generated: spring-t -->
                <!-- generated: churn -->
                the core's
                <!-- /generated: churn -->
                """;

        String regenerated = ReliabilityTables.regenerate(document, record);

        assertThat(regenerated).isEqualTo("""
                Hand-written.
                <!-- generated: spring-t -->
                | run | clients |
                |---|---|
                | default | 4 |
                | long | 17 |
                <!-- /generated: spring-t -->
                <!-- generated: churn -->
                the core's
                <!-- /generated: churn -->
                """);
        assertThat(ReliabilityTables.sections(document)).containsOnlyKeys("spring-t");
        assertThat(ReliabilityTables.sections(document).get("spring-t"))
                .as("a stale table differs from the record")
                .isNotEqualTo(ReliabilityTables.markdown(record, "spring-t").orElseThrow());
        assertThat(ReliabilityTables.sections(regenerated).get("spring-t"))
                .isEqualTo(ReliabilityTables.markdown(record, "spring-t").orElseThrow());
        assertThat(ReliabilityTables.markdown(record, "spring-missing")).isEmpty();
    }
}
