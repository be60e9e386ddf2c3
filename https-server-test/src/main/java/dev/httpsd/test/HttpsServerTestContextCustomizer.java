package dev.httpsd.test;

import dev.httpsd.server.tls.ClientAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * httpsd's setup of one {@code @SpringBootTest} context:
 *
 * <ul>
 *   <li>{@code RANDOM_PORT}: the HTTPS listener, the redirect listener and httpsd's management
 *       listener (when {@code management.server.port} is set) on free ports; {@code DEFINED_PORT}:
 *       the configured ports;
 *   <li>{@code MOCK} and {@code NONE}: no server ({@code https-server.enabled=false}) unless the
 *       test's own properties set {@code https-server.enabled=true} or an httpsd port, and then on
 *       free ports as in {@code RANDOM_PORT};
 *   <li>a test CA and server certificate generated for the context in a temporary directory, served
 *       unless TLS material is configured (a certificate, key or bundle in the application's
 *       configuration, a profile or the test's properties; the development certificate only when
 *       the test itself switches it on); the development certificate, if anything asks for it,
 *       kept in that directory too, never in the home directory;
 *   <li>{@link MutualTls}: the test CA trusted for client certificates;
 *   <li>beans: {@link LocalHttpsServer}, a {@code RestTestClient} (unless the test defines one) and,
 *       under {@link RecordServerEvents}, a {@link ServerEventRecorder}.
 * </ul>
 *
 * <p>The values sit in a property source just below the test's own ({@code @SpringBootTest(properties)},
 * {@code @TestPropertySource}, {@code @DynamicPropertySource}) and above the application's
 * configuration, so a test overrides any of them and the application's fixed ports and
 * certificates do not apply.
 */
final class HttpsServerTestContextCustomizer implements ContextCustomizer {

    private static final String TEST_PROPERTIES = TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME;

    private final WebEnvironment webEnvironment;
    private final ClientAuth clientAuth;
    private final boolean recordEvents;

    HttpsServerTestContextCustomizer(WebEnvironment webEnvironment, ClientAuth clientAuth, boolean recordEvents) {
        this.webEnvironment = webEnvironment;
        this.clientAuth = clientAuth;
        this.recordEvents = recordEvents;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        ConfigurableEnvironment environment = context.getEnvironment();
        boolean start = webEnvironment.isEmbedded() || testAsksForTheServer(mergedConfig);
        Map<String, Object> values = new LinkedHashMap<>();
        if (!start) {
            values.put("https-server.enabled", "false");
        } else if (webEnvironment != WebEnvironment.DEFINED_PORT) {
            values.put("https-server.port-secure", "0");
            values.put("https-server.port-insecure", "0");
            if (managementPortConfigured(environment)) {
                values.put("management.server.port", "0");
            }
        }
        Path directory = temporaryDirectory();
        TestCertificates certificates = TestCertificates.generate();
        TestCertificates.PemFiles files = certificates.writeTo(directory);
        // a context that fails to start never closes: the JVM's exit removes what it left
        Stream.of(directory, files.caCertificate(), files.serverCertificate(), files.serverKey())
                .forEach(path -> path.toFile().deleteOnExit());
        Stream.of(files.clientCertificate(), files.clientKey())
                .forEach(path -> path.toFile().deleteOnExit());
        values.put(
                "https-server.ssl.dev-certificate.directory",
                directory.resolve("dev").toString());
        if (clientAuth != null) {
            values.put("https-server.ssl.ca-certificate", files.caCertificate().toString());
            values.put("https-server.ssl.client-auth", clientAuth.name().toLowerCase(Locale.ROOT));
        }
        Map<String, Object> material = new LinkedHashMap<>();
        material.put("https-server.ssl.certificate", files.serverCertificate().toString());
        material.put("https-server.ssl.private-key", files.serverKey().toString());
        TestServerPropertySource source = new TestServerPropertySource(values, material, environment);
        MutablePropertySources sources = environment.getPropertySources();
        if (sources.contains(TEST_PROPERTIES)) {
            sources.addAfter(TEST_PROPERTIES, source);
        } else {
            sources.addFirst(source);
        }

        LocalHttpsServer server = new LocalHttpsServer(environment, certificates, clientAuth != null);
        context.getBeanFactory().registerSingleton("httpsdLocalHttpsServer", server);
        if (context instanceof BeanDefinitionRegistry registry) {
            // a bean definition, not a post-processor added to the context: those run before the
            // configuration classes are read, when the test's own RestTestClient is not known yet
            registry.registerBeanDefinition(
                    RestTestClientRegistrar.class.getName(), new RootBeanDefinition(RestTestClientRegistrar.class));
        }
        if (recordEvents) {
            context.getBeanFactory().registerSingleton("httpsdServerEventRecorder", new ServerEventRecorder());
        }
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                server.close();
                delete(directory);
            }
        });
    }

    /** In MOCK and NONE: whether the test's own properties switch the server on or give it a port. */
    private static boolean testAsksForTheServer(MergedContextConfiguration mergedConfig) {
        Map<String, Object> own =
                TestPropertySourceUtils.convertInlinedPropertiesToMap(mergedConfig.getPropertySourceProperties());
        for (Map.Entry<String, Object> property : own.entrySet()) {
            ConfigurationPropertyName name = ConfigurationPropertyName.adapt(property.getKey(), '.');
            if (name.equals(ConfigurationPropertyName.of("https-server.enabled"))) {
                return Boolean.parseBoolean(
                        Objects.toString(property.getValue()).strip());
            }
            if (name.equals(ConfigurationPropertyName.of("https-server.port-secure"))
                    || name.equals(ConfigurationPropertyName.of("https-server.port-insecure"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the application asks for httpsd's management listener on a port of its own. */
    private static boolean managementPortConfigured(ConfigurableEnvironment environment) {
        try {
            Integer port = environment.getProperty("management.server.port", Integer.class);
            return port != null && port > 0;
        } catch (RuntimeException e) {
            // not a number: the application fails on it with Boot's own message
            return false;
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("httpsd-test-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a directory for the test certificates", e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // the JVM's temporary directory; nothing else depends on it being gone
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpsServerTestContextCustomizer that
                && webEnvironment == that.webEnvironment
                && clientAuth == that.clientAuth
                && recordEvents == that.recordEvents;
    }

    @Override
    public int hashCode() {
        return Objects.hash(webEnvironment, clientAuth, recordEvents);
    }
}
