package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;

/**
 * The README's property table lists exactly the properties the configuration processor
 * generated metadata for (rows start with {@code | `https-server.<name>`}), each with its real
 * default. The table's convention for the default column: a code span holding the value when
 * there is one ({@code `20s`}, {@code `8KB`}, {@code `true`}, {@code `secure`}); {@code —} or a
 * few plain words ("unlimited", "all addresses") when an unset property has no value.
 */
class ReadmePropertyTableTests {

    private static final Path README = Path.of("..", "README.md");
    private static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");

    /** The property name of a table row; map and list properties may carry a key suffix. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(https-server\\.[^`]+)`");

    private static final Pattern KEY_SUFFIX = Pattern.compile("(\\.<[^>]*>|\\.\\*|\\[[^]]*])+$");

    /** A default cell that states a value: one code span and nothing else. */
    private static final Pattern VALUE = Pattern.compile("^`([^`]+)`$");

    private static final ConversionService CONVERSION = ApplicationConversionService.getSharedInstance();

    @Test
    void readmePropertyTableMatchesTheGeneratedMetadata() throws IOException {
        Set<String> documented = documentedDefaults(readme()).keySet();
        // management.* switches for httpsd's health and info are Boot's properties, described in prose
        Set<String> generated = new TreeSet<>(metadata().keySet());
        generated.removeIf(name -> !name.startsWith("https-server."));
        assertThat(documented)
                .as("README.md has no property table: no line starts with | `https-server.")
                .isNotEmpty();
        Set<String> missing = new TreeSet<>(generated);
        missing.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(generated);
        assertThat(missing)
                .as("properties in the metadata but missing from the README table: %s", missing)
                .isEmpty();
        assertThat(extra)
                .as("properties in the README table that do not exist (renamed or removed?): %s", extra)
                .isEmpty();
    }

    @Test
    void readmePropertyTableShowsEveryDefault() throws IOException {
        assertThat(defaultProblems(readme())).isEmpty();
    }

    @Test
    void aWrongOrMissingDefaultInTheTableIsReported() throws IOException {
        List<String> table = List.of(
                "| `https-server.idle-timeout` | `20s` | — | wrong duration |",
                "| `https-server.idle-timeout` | `30000ms` | — | same duration, other unit |",
                "| `https-server.max-drain-length` | `1MB` | — | right size |",
                "| `https-server.max-drain-length` | `1KB` | — | wrong size |",
                "| `https-server.enabled` | enabled | — | words where the value belongs |",
                "| `https-server.transport-mode` | `SECURE` | — | enum in upper case |",
                "| `https-server.transport-mode` | `insecure` | — | wrong enum |",
                "| `https-server.max-content-length` | `8KB` | — | a value the property does not have |",
                "| `https-server.max-content-length` | unlimited | — | words for no value |",
                "| `https-server.ssl.protocols` | `TLSv1.3` | — | wrong list default |",
                "| `https-server.ssl.dev-certificate.directory` | `~/.httpsd` | — | home directory |",
                "| `https-server.ssl.protocols` | `TLSv1.3, TLSv1.2` | — | list default from the metadata |");
        assertThat(defaultProblems(table))
                .containsExactly(
                        "https-server.idle-timeout: README says `20s`, the metadata default is 30s",
                        "https-server.max-drain-length: README says `1KB`, the metadata default is 1MB",
                        "https-server.enabled: README says 'enabled', the metadata default is true",
                        "https-server.transport-mode: README says `insecure`, the metadata default is secure",
                        "https-server.max-content-length: README says `8KB`, the property has no default value",
                        "https-server.ssl.protocols: README says `TLSv1.3`, the metadata default is TLSv1.3, TLSv1.2");
    }

    @Test
    void metadataDescribesEveryPropertyWithItsJavadoc() throws IOException {
        List<String> undescribed = JsonPath.parse(Files.readString(METADATA, StandardCharsets.UTF_8))
                .read("$.properties[?(!@.description)].name");
        assertThat(metadata()).containsKeys("https-server.port-secure", "https-server.ssl.bundle");
        assertThat(undescribed).as("properties without a javadoc sentence").isEmpty();
    }

    /**
     * What is wrong with the default column of these table rows. With a metadata default the
     * cell must be a code span of that value (compared as the property's type: {@code 30s} and
     * {@code 30000ms} agree, so do {@code secure} and {@code SECURE}). Without one (lists,
     * computed values, no value at all) the field's initial value decides: a code span must show
     * it, and a property without a value must not show one.
     */
    private static List<String> defaultProblems(List<String> table) throws IOException {
        Map<String, Map<String, Object>> metadata = metadata();
        BeanWrapperImpl initial = new BeanWrapperImpl(new HttpsServerProperties());
        List<String> problems = new ArrayList<>();
        documentedDefaults(table).forEach((name, cells) -> {
            Map<String, Object> property = metadata.get(name);
            if (property == null) {
                return; // reported by readmePropertyTableMatchesTheGeneratedMetadata
            }
            for (String cell : cells) {
                String problem = property.containsKey("defaultValue")
                        ? checkAgainstMetadata(cell, property)
                        : checkAgainstField(cell, initial.getPropertyValue(beanPath(name)));
                if (problem != null) {
                    problems.add(name + ": README says " + problem);
                }
            }
        });
        return problems;
    }

    private static String checkAgainstMetadata(String cell, Map<String, Object> property) {
        String expected = render(property.get("defaultValue"));
        Matcher value = VALUE.matcher(cell);
        if (value.matches() && sameValue(value.group(1), expected, (String) property.get("type"))) {
            return null;
        }
        return (value.matches() ? cell : "'" + cell + "'") + ", the metadata default is " + expected;
    }

    private static String checkAgainstField(String cell, Object initial) {
        Matcher value = VALUE.matcher(cell);
        boolean hasValue = initial != null
                && !(initial instanceof Collection<?> c && c.isEmpty())
                && !(initial instanceof Map<?, ?> m && m.isEmpty());
        if (!value.matches()) {
            return null; // "—" or words describe an unset property, or a value such as "loopback"
        }
        if (!hasValue) {
            return cell + ", the property has no default value";
        }
        String expected = render(initial);
        return value.group(1).equals(expected) ? null : cell + ", the field's initial value is " + expected;
    }

    /** Both strings converted to the property's type as Spring Boot binds them, then compared. */
    private static boolean sameValue(String documented, String expected, String type) {
        if (documented.equals(expected)) {
            return true;
        }
        Class<?> target;
        try {
            target = Class.forName(type);
        } catch (ClassNotFoundException | RuntimeException e) {
            return false; // generic types: the text must match
        }
        try {
            return Objects.equals(CONVERSION.convert(documented, target), CONVERSION.convert(expected, target));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A field value as the table writes it: lists joined by ", ", the home directory as ~. */
    private static String render(Object value) {
        if (value instanceof Collection<?> collection) {
            return String.join(", ", collection.stream().map(String::valueOf).toList());
        }
        String text = String.valueOf(value);
        String home = System.getProperty("user.home");
        return text.startsWith(home + "/") ? "~" + text.substring(home.length()) : text;
    }

    /** {@code https-server.ssl.dev-certificate.directory} → {@code ssl.devCertificate.directory}. */
    private static String beanPath(String property) {
        String path = property.substring("https-server.".length());
        Matcher dash = Pattern.compile("-([a-z])").matcher(path);
        StringBuilder camel = new StringBuilder();
        while (dash.find()) {
            dash.appendReplacement(camel, dash.group(1).toUpperCase(Locale.ROOT));
        }
        return dash.appendTail(camel).toString();
    }

    private static List<String> readme() throws IOException {
        return Files.readAllLines(README, StandardCharsets.UTF_8);
    }

    /** Property name → the default cells of its rows (one per row), in table order. */
    private static Map<String, List<String>> documentedDefaults(List<String> lines) {
        Map<String, List<String>> defaults = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                String name = KEY_SUFFIX.matcher(row.group(1).strip()).replaceAll("");
                String[] cells = line.split("\\|");
                defaults.computeIfAbsent(name, n -> new ArrayList<>()).add(cells.length > 2 ? cells[2].strip() : "");
            }
        }
        return defaults;
    }

    /**
     * Property name → its metadata entry, for every property that binds: a removed property kept
     * in the metadata only to point at its replacement (deprecation level {@code error}) has no row.
     */
    private static Map<String, Map<String, Object>> metadata() throws IOException {
        assertThat(METADATA)
                .as("generated by spring-boot-configuration-processor during compile")
                .exists();
        List<Map<String, Object>> properties = JsonPath.parse(Files.readString(METADATA, StandardCharsets.UTF_8))
                .read("$.properties[*]");
        Map<String, Map<String, Object>> byName = new TreeMap<>();
        properties.stream()
                .filter(property -> !(property.get("deprecation") instanceof Map<?, ?> deprecation
                        && "error".equals(deprecation.get("level"))))
                .forEach(property -> byName.put((String) property.get("name"), property));
        return byName;
    }
}
