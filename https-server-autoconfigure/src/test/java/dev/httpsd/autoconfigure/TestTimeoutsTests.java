package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every module of the build that has tests bounds each of them with JUnit's default timeout, so
 * a hung test fails CI instead of hanging it; a module added without the file is caught here.
 */
class TestTimeoutsTests {

    private static final Path ROOT = Path.of("..");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern TIMEOUT = Pattern.compile("(\\d+)\\s*(s|m)");

    @Test
    void everyModuleWithTestsHasADefaultTimeoutOfAtMostFiveMinutes() throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher matcher = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8));
        while (matcher.find()) {
            modules.add(matcher.group(1));
        }
        assertThat(modules).as("modules of the parent pom").contains("https-server-core", "https-server-autoconfigure");
        List<String> withTests = modules.stream()
                .filter(module -> Files.isDirectory(ROOT.resolve(module).resolve("src/test/java")))
                .toList();
        assertThat(withTests).contains("https-server-core", "https-server-autoconfigure", "sample-app");
        for (String module : withTests) {
            Path file = ROOT.resolve(module).resolve("src/test/resources/junit-platform.properties");
            assertThat(file)
                    .as("%s has tests but no junit-platform.properties", module)
                    .isRegularFile();
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                properties.load(reader);
            }
            String timeout = properties.getProperty("junit.jupiter.execution.timeout.default");
            assertThat(timeout)
                    .as("%s: junit.jupiter.execution.timeout.default", module)
                    .isNotNull();
            Matcher value = TIMEOUT.matcher(timeout.trim());
            assertThat(value.matches())
                    .as("%s: '%s' is '<n> s' or '<n> m'", module, timeout)
                    .isTrue();
            Duration duration = value.group(2).equals("s")
                    ? Duration.ofSeconds(Long.parseLong(value.group(1)))
                    : Duration.ofMinutes(Long.parseLong(value.group(1)));
            assertThat(duration)
                    .as("%s: default test timeout", module)
                    .isBetween(Duration.ofSeconds(30), Duration.ofMinutes(5));
        }
    }
}
