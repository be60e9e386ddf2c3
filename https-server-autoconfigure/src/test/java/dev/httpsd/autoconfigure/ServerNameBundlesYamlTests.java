package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.port;
import static dev.httpsd.autoconfigure.TestHttps.presentedCertificate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.tls.KeyMaterial;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code https-server.ssl.server-name-bundles} bound from real YAML files (src/test/resources/sni):
 * Spring Boot's list shape keeps an exact and a wildcard server name intact, and the former map
 * shape, which would bind to nothing, stops the application with a message.
 */
class ServerNameBundlesYamlTests {

    private static final KeyMaterial API =
            TestHttps.CA.issueServer("api.example.test", Duration.ofDays(30), List.of("api.example.test"));
    private static final KeyMaterial INTERNAL =
            TestHttps.CA.issueServer("internal.example.test", Duration.ofDays(30), List.of("*.internal.example.test"));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void exactAndWildcardServerNamesFromYamlPresentTheirBundles() throws Exception {
        TestHttps.writePem(TestHttps.SERVER, dir, "server");
        TestHttps.writePem(API, dir, "api");
        TestHttps.writePem(INTERNAL, dir, "internal");
        runner.withInitializer(context ->
                        context.getEnvironment().getPropertySources().addFirst(yaml("sni/server-name-bundles.yml")))
                .withPropertyValues("sni.dir=" + dir)
                .run(context -> {
                    assertThat(context.getBean(HttpsServerProperties.class)
                                    .getSsl()
                                    .getServerNameBundles())
                            .containsExactly(
                                    new HttpsServerProperties.ServerNameBundle("api.example.test", "api"),
                                    new HttpsServerProperties.ServerNameBundle("*.internal.example.test", "internal"));
                    int port = port(context);
                    assertThat(presentedCertificate(port, "api.example.test")).isEqualTo(API.certificate());
                    assertThat(presentedCertificate(port, "db.internal.example.test"))
                            .isEqualTo(INTERNAL.certificate());
                    assertThat(presentedCertificate(port, "internal.example.test"))
                            .as("a wildcard covers one label, not its parent")
                            .isEqualTo(TestHttps.SERVER.certificate());
                    assertThat(presentedCertificate(port, "localhost")).isEqualTo(TestHttps.SERVER.certificate());
                    assertThat(context.getBean(SslBundles.class).getBundleNames())
                            .as("every certificate comes from a spring.ssl bundle: httpsd registers none of its own")
                            .containsExactlyInAnyOrder("api", "default-site", "internal");
                });
    }

    @Test
    void theFormerMapShapeStopsTheApplicationAndShowsTheListShape() {
        runner.withInitializer(context -> context.getEnvironment()
                        .getPropertySources()
                        .addFirst(yaml("sni/server-name-bundles-as-map.yml")))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("https-server.ssl.server-name-bundles")
                            .hasMessageContaining("list of server-name and bundle pairs")
                            .hasMessageContaining("- server-name: api.example.com");
                });
    }

    @Test
    void anEntryWithoutItsBundleIsNamedInTheFailure() {
        runner.withPropertyValues(
                        "https-server.port-secure=0",
                        "https-server.ssl.server-name-bundles[0].server-name=api.example.test")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("https-server.ssl.server-name-bundles[0]")
                        .hasMessageContaining("needs both server-name and bundle"));
    }

    private static PropertySource<?> yaml(String location) {
        try {
            return new YamlPropertySourceLoader()
                    .load(location, new ClassPathResource(location))
                    .getFirst();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
