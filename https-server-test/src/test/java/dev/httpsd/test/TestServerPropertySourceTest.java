package dev.httpsd.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

/** The test certificate's properties stand only while nothing else gives the server a certificate. */
class TestServerPropertySourceTest {

    private final StandardEnvironment environment = new StandardEnvironment();

    private final TestServerPropertySource source = new TestServerPropertySource(
            Map.of("https-server.port-secure", "0"),
            Map.of("https-server.ssl.certificate", "/tmp/test/server.pem"),
            environment);

    TestServerPropertySourceTest() {
        environment.getPropertySources().addFirst(source);
    }

    @Test
    void withNoOtherMaterialTheTestCertificateStands() {
        assertThat(environment.getProperty("https-server.ssl.certificate")).isEqualTo("/tmp/test/server.pem");
        assertThat(environment.getProperty("https-server.port-secure")).isEqualTo("0");
    }

    @Test
    void aBundleInTheEnvironmentVariablesTakesItsPlace() {
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("HTTPS_SERVER_SSL_BUNDLE", "web")));
        assertThat(environment.getProperty("https-server.ssl.certificate")).isNull();
    }

    @Test
    void serverNameBundlesCountAsMaterial() {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "application", Map.of("https-server.ssl.server-name-bundles[0].server-name", "a.example")));
        assertThat(environment.getProperty("https-server.ssl.certificate")).isNull();
    }

    @Test
    void theDevelopmentCertificateCountsOnlyWhenTheTestItselfSwitchesItOn() {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "application", Map.of("https-server.ssl.dev-certificate.enabled", "true")));
        assertThat(environment.getProperty("https-server.ssl.certificate")).isEqualTo("/tmp/test/server.pem");

        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME,
                        Map.of("https-server.ssl.dev-certificate.enabled", "true")));
        assertThat(environment.getProperty("https-server.ssl.certificate")).isNull();
    }
}
