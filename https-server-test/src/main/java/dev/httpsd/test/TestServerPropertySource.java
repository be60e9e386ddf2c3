package dev.httpsd.test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * The test context's httpsd properties. The TLS material ones stand only while the test's own
 * properties configure none: that is looked up when the properties are read, so a {@code
 * DynamicPropertySource} registered after this source counts too.
 */
final class TestServerPropertySource extends EnumerablePropertySource<Map<String, Object>> {

    static final String NAME = "httpsd test server";

    /** Where a test's own properties live: {@code @SpringBootTest(properties)}, {@code @TestPropertySource}, {@code @DynamicPropertySource}. */
    private static final List<String> TEST_SOURCES =
            List.of(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, "Dynamic Test Properties");

    /** Properties through which a test brings its own server certificate. */
    private static final List<ConfigurationPropertyName> MATERIAL = List.of(
            ConfigurationPropertyName.of("https-server.ssl.certificate"),
            ConfigurationPropertyName.of("https-server.ssl.private-key"),
            ConfigurationPropertyName.of("https-server.ssl.bundle"),
            ConfigurationPropertyName.of("https-server.ssl.server-name-bundles"),
            ConfigurationPropertyName.of("https-server.ssl.dev-certificate.enabled"));

    private final Map<String, Object> material;
    private final ConfigurableEnvironment environment;
    private final String[] names;

    TestServerPropertySource(
            Map<String, Object> values, Map<String, Object> material, ConfigurableEnvironment environment) {
        super(NAME, Map.copyOf(values));
        this.material = Map.copyOf(material);
        this.environment = environment;
        Set<String> all = new LinkedHashSet<>(values.keySet());
        all.addAll(material.keySet());
        this.names = all.toArray(String[]::new);
    }

    @Override
    public String[] getPropertyNames() {
        return names.clone();
    }

    @Override
    public Object getProperty(String name) {
        Object value = source.get(name);
        if (value != null) {
            return value;
        }
        value = material.get(name);
        return value == null || testConfiguresMaterial() ? null : value;
    }

    /** Whether the test's own properties name a certificate, a key, a bundle or the development certificate. */
    boolean testConfiguresMaterial() {
        for (String sourceName : TEST_SOURCES) {
            PropertySource<?> own = environment.getPropertySources().get(sourceName);
            if (own instanceof EnumerablePropertySource<?> enumerable) {
                for (String property : enumerable.getPropertyNames()) {
                    ConfigurationPropertyName name = ConfigurationPropertyName.adapt(property, '.');
                    if (MATERIAL.stream().anyMatch(m -> m.equals(name) || m.isAncestorOf(name))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
