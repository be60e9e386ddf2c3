package dev.httpsd.test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * The test context's httpsd properties. The test certificate's properties stand only while no
 * other TLS material is configured: a certificate, a key or a bundle anywhere (the application's
 * configuration, a profile, the test's properties), or the development certificate switched on
 * by the test's own properties (the application switching it on does not count: the test
 * certificate replaces it). That is looked up when the properties are read, so a {@code
 * DynamicPropertySource} registered after this source counts too.
 */
final class TestServerPropertySource extends EnumerablePropertySource<Map<String, Object>> {

    static final String NAME = "httpsd test server";

    /** Where a test's own properties live: {@code @SpringBootTest(properties)}, {@code @TestPropertySource}, {@code @DynamicPropertySource}. */
    private static final List<String> TEST_SOURCES =
            List.of(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, "Dynamic Test Properties");

    /** Properties that give the server a certificate. */
    private static final List<ConfigurationPropertyName> MATERIAL = List.of(
            ConfigurationPropertyName.of("https-server.ssl.certificate"),
            ConfigurationPropertyName.of("https-server.ssl.private-key"),
            ConfigurationPropertyName.of("https-server.ssl.bundle"),
            ConfigurationPropertyName.of("https-server.ssl.server-name-bundles"));

    private static final ConfigurationPropertyName DEVELOPMENT_CERTIFICATE =
            ConfigurationPropertyName.of("https-server.ssl.dev-certificate.enabled");

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
        return value == null || materialConfigured() ? null : value;
    }

    /** Whether TLS material other than the test certificate is configured. */
    boolean materialConfigured() {
        for (PropertySource<?> other : environment.getPropertySources()) {
            if (other == this) {
                continue;
            }
            ConfigurationPropertySource properties = ConfigurationPropertySource.from(other);
            if (properties == null) {
                continue; // Boot's view of all the others
            }
            for (ConfigurationPropertyName name : MATERIAL) {
                if (properties.getConfigurationProperty(name) != null
                        || properties.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
                    return true;
                }
            }
            if (TEST_SOURCES.contains(other.getName())
                    && properties.getConfigurationProperty(DEVELOPMENT_CERTIFICATE) != null) {
                return true;
            }
        }
        return false;
    }
}
