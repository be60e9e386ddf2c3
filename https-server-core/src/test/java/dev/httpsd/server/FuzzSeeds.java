package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Arrays;
import java.util.List;

/**
 * The guard every Jazzer test runs in {@code mvn verify}: without {@code JAZZER_FUZZ}, a {@link
 * FuzzTest} method replays the files in {@code <TestClass>Inputs/<method name>/} next to its class
 * on the test class path, and runs zero inputs, silently, when there is no such directory (a
 * renamed method, a moved class, a resource directory left out of the build). Each method's count
 * of inputs goes to the {@code fuzz-seeds} table of the {@link ReliabilityRecord}.
 */
public final class FuzzSeeds {

    private FuzzSeeds() {}

    /**
     * Asserts that each {@link FuzzTest} method of {@code testClass} has a seed directory of its
     * own name holding at least {@code atLeast} inputs, and that every seed directory of the class
     * belongs to one of its methods (a directory left behind by a rename would be replayed by none).
     */
    public static void assertEveryFuzzMethodHasItsSeeds(Class<?> testClass, int atLeast) throws URISyntaxException {
        List<String> methods = Arrays.stream(testClass.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(FuzzTest.class))
                .map(java.lang.reflect.Method::getName)
                .sorted()
                .toList();
        assertThat(methods)
                .as("@FuzzTest methods of %s", testClass.getSimpleName())
                .isNotEmpty();
        String inputs = testClass.getSimpleName() + "Inputs";
        URL root = testClass.getResource(inputs);
        assertThat(root).as("seed directory %s on the test class path", inputs).isNotNull();
        File[] directories = new File(root.toURI()).listFiles(File::isDirectory);
        assertThat(directories).as("seed directories in %s", root).isNotNull();
        assertThat(Arrays.stream(directories).map(File::getName).sorted().toList())
                .as("seed directories of %s, one per @FuzzTest method, named after it", testClass.getSimpleName())
                .isEqualTo(methods);
        for (File directory : directories) {
            File[] seeds = directory.listFiles(File::isFile);
            assertThat(seeds)
                    .as("seed inputs of %s.%s in %s", testClass.getSimpleName(), directory.getName(), directory)
                    .isNotNull()
                    .hasSizeGreaterThanOrEqualTo(atLeast);
            ReliabilityRecord.row(
                    "fuzz-seeds",
                    List.of("fuzz target", "committed inputs replayed in every mvn verify"),
                    testClass.getSimpleName() + "#" + directory.getName(),
                    List.of(
                            "`" + testClass.getSimpleName() + "#" + directory.getName() + "`",
                            String.valueOf(seeds.length)));
        }
    }
}
