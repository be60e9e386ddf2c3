package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md's generated tables of this module ({@code spring-…}) are what this build's tests
 * recorded ({@link ReliabilityTables}). Runs in its own surefire execution after the module's
 * tests (the {@code reliability-document} execution in the {@code verify} phase, not when {@code
 * -Dtest} picks tests), so the record is this build's. A long run ({@code -Dhttpsd.long=true})
 * checks the {@code .long} tables, any other run the default ones. With {@code
 * -Dreliability.write=true} it rewrites those sections from the record first.
 */
class ReliabilityDocumentTests {

    private static final Path DOCUMENT = Path.of("..", "RELIABILITY.md");

    private static final boolean LONG = Boolean.getBoolean("httpsd.long");

    /** The tables this module's tests write, default and long variant. */
    private static final List<String> TABLES =
            List.of("spring-actuator-traffic", "spring-certificate-reload", "spring-certificate-reload.long");

    @Test
    void everyGeneratedTableOfThisModuleIsWhatThisBuildRecorded() throws Exception {
        String document = Files.readString(DOCUMENT, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("reliability.write")) {
            document = ReliabilityTables.regenerate(document, ReliabilityTables.DIRECTORY);
            Files.writeString(DOCUMENT, document, StandardCharsets.UTF_8);
        }
        Map<String, String> sections = ReliabilityTables.sections(document);

        assertThat(sections.keySet())
                .as("this module's generated sections of RELIABILITY.md")
                .containsAll(TABLES);
        for (Map.Entry<String, String> section : sections.entrySet()) {
            String name = section.getKey();
            if (name.endsWith(".long") != LONG) {
                continue; // the other variant's table, checked by a run of that variant
            }
            Optional<String> recorded = ReliabilityTables.markdown(ReliabilityTables.DIRECTORY, name);
            assertThat(recorded)
                    .as(
                            "a record of table '%s' under https-server-autoconfigure/%s: the tests that write it did"
                                    + " not run",
                            name, ReliabilityTables.DIRECTORY)
                    .isPresent();
            assertThat(section.getValue())
                    .as(
                            "RELIABILITY.md's table '%s' against this build's record; regenerate with"
                                    + " mvn -B -pl https-server-autoconfigure -am verify -Dreliability.write=true",
                            name)
                    .isEqualTo(recorded.orElseThrow());
        }
    }
}
