package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.KeyMaterial;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/**
 * Startup failures become readable analyses: each failure is analysed the way Spring Boot does,
 * by the first {@link FailureAnalyzer} from {@code spring.factories} that recognises it.
 */
class FailureAnalyzersTests {

    private static final String CERTIFICATE = Certificates.toPem(TestHttps.SERVER.chain());
    private static final String KEY = Certificates.toPem(TestHttps.SERVER.privateKey());

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0");

    @TempDir
    Path dir;

    @Test
    void portInUseNamesThePortAndTheProperties() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            runner.withPropertyValues(
                            "https-server.address="
                                    + InetAddress.getLoopbackAddress().getHostAddress(),
                            "https-server.port-secure=" + taken.getLocalPort(),
                            "https-server.ssl.certificate=" + CERTIFICATE,
                            "https-server.ssl.private-key=" + KEY)
                    .run(context -> {
                        FailureAnalysis analysis = analyze(
                                context.getStartupFailure(), "https-server.port-secure=" + taken.getLocalPort());
                        assertThat(analysis.getDescription())
                                .startsWith("The httpsd server cannot listen on ")
                                .contains(":" + taken.getLocalPort());
                        assertThat(analysis.getAction())
                                .contains("https-server.port-secure")
                                .doesNotContain("https-server.port-insecure")
                                .contains("0 picks a free port");
                        assertThat(new PortInUseFailureAnalyzer(new StandardEnvironment())
                                        .analyze(context.getStartupFailure()))
                                .isNotNull();
                    });
        }
    }

    @Test
    void portInUseFailsStartupWithActuatorTooSoHealthNeverReportsIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            withActuator()
                    .withPropertyValues(
                            "https-server.address="
                                    + InetAddress.getLoopbackAddress().getHostAddress(),
                            "https-server.port-secure=" + taken.getLocalPort(),
                            "https-server.ssl.certificate=" + CERTIFICATE,
                            "https-server.ssl.private-key=" + KEY)
                    .run(context -> {
                        assertThat(context).hasFailed();
                        assertThat(analyze(context.getStartupFailure()).getDescription())
                                .startsWith("The httpsd server cannot listen on ")
                                .contains(":" + taken.getLocalPort());
                    });
        }
    }

    @Test
    void managementPortInUseNamesTheManagementPortProperty() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            withActuator()
                    .withPropertyValues(
                            "management.server.port=" + taken.getLocalPort(),
                            "https-server.ssl.certificate=" + CERTIFICATE,
                            "https-server.ssl.private-key=" + KEY)
                    .run(context -> {
                        FailureAnalysis analysis =
                                analyze(context.getStartupFailure(), "management.server.port=" + taken.getLocalPort());
                        assertThat(analysis.getDescription())
                                .startsWith("The httpsd management server cannot listen on ")
                                .contains(":" + taken.getLocalPort());
                        assertThat(analysis.getAction())
                                .contains("management.server.port")
                                .doesNotContain("https-server.port-secure")
                                .contains("0 picks a free port");
                    });
        }
    }

    @Test
    void theServerAndTheManagementListenerOnOnePortAreToldToUseDifferentPorts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            withActuator()
                    .withPropertyValues(
                            "management.server.port=" + port,
                            "https-server.port-secure=" + port,
                            "https-server.ssl.certificate=" + CERTIFICATE,
                            "https-server.ssl.private-key=" + KEY)
                    .run(context -> {
                        FailureAnalysis analysis = analyze(
                                context.getStartupFailure(),
                                "management.server.port=" + port,
                                "https-server.port-secure=" + port);
                        assertThat(analysis.getDescription())
                                .startsWith("The httpsd server and its management server are both configured for port "
                                        + port);
                        assertThat(analysis.getAction())
                                .contains("https-server.port-secure and management.server.port different ports");
                    });
        }
    }

    /** The runner with health, info and the management port's auto-configuration. */
    private ApplicationContextRunner withActuator() {
        return runner.withConfiguration(AutoConfigurations.of(
                dev.httpsd.autoconfigure.actuate.HttpsServerActuatorAutoConfiguration.class,
                dev.httpsd.autoconfigure.actuate.HttpsServerManagementAutoConfiguration.class,
                org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration.class,
                EndpointAutoConfiguration.class,
                HealthContributorAutoConfiguration.class,
                HealthContributorRegistryAutoConfiguration.class,
                HealthEndpointAutoConfiguration.class,
                InfoEndpointAutoConfiguration.class));
    }

    @Test
    void missingCertificateFileNamesThePathAndTheProperty() {
        Path missing = dir.resolve("missing.pem");
        runner.withPropertyValues("https-server.ssl.certificate=" + missing, "https-server.ssl.private-key=" + KEY)
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .startsWith("The httpsd server cannot use its TLS material: ")
                            .contains("https-server.ssl.certificate points to nothing")
                            .contains(missing.toString());
                    assertThat(analysis.getAction()).startsWith("Check that the file exists and is readable");
                });
    }

    @Test
    void unreadableKeyLocationNamesThePathAndTheProperty() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("not-a-file.pem"));
        runner.withPropertyValues(
                        "https-server.ssl.certificate=" + CERTIFICATE, "https-server.ssl.private-key=" + directory)
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("https-server.ssl.private-key cannot be read")
                            .contains(directory.toString());
                    assertThat(analysis.getAction()).startsWith("Check that the file exists and is readable");
                });
    }

    @Test
    void keyFileWithoutReadPermissionNamesThePathAndTheProperty() throws Exception {
        Path key = Files.writeString(dir.resolve("no-read.pem"), KEY);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));
        assumeFalse(
                Files.isReadable(key),
                "the tests run as root here, where a file's mode does not stop reads (chmod 000 left it"
                        + " readable); unreadableKeyLocationNamesThePathAndTheProperty covers an unreadable path");
        runner.withPropertyValues("https-server.ssl.certificate=" + CERTIFICATE, "https-server.ssl.private-key=" + key)
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("https-server.ssl.private-key cannot be read")
                            .contains(key.toString());
                    assertThat(analysis.getAction()).startsWith("Check that the file exists and is readable");
                });
    }

    @Test
    void malformedCertificateIsCalledMalformed() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "this is not a certificate\n");
        runner.withPropertyValues("https-server.ssl.certificate=" + garbage, "https-server.ssl.private-key=" + KEY)
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("no '-----BEGIN CERTIFICATE-----' block found")
                            .contains(garbage.toString());
                    assertThat(analysis.getAction()).startsWith("Provide PEM text");
                });
    }

    @Test
    void wrongKeyPasswordSaysToSetTheKeyPassword() throws Exception {
        Path key = Files.writeString(
                dir.resolve("encrypted-key.pem"), TestHttps.encryptedPem(TestHttps.SERVER.privateKey(), "right"));
        runner.withPropertyValues(
                        "https-server.ssl.certificate=" + CERTIFICATE,
                        "https-server.ssl.private-key=" + key,
                        "https-server.ssl.private-key-password=wrong")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("wrong password")
                            .contains(key.toString());
                    assertThat(analysis.getAction()).contains("https-server.ssl.private-key-password");
                });
    }

    @Test
    void encryptedKeyWithoutPasswordSaysToSetTheKeyPassword() throws Exception {
        Path key = Files.writeString(
                dir.resolve("encrypted-key.pem"), TestHttps.encryptedPem(TestHttps.SERVER.privateKey(), "secret"));
        runner.withPropertyValues("https-server.ssl.certificate=" + CERTIFICATE, "https-server.ssl.private-key=" + key)
                .run(context -> assertThat(analyze(context.getStartupFailure()).getAction())
                        .contains("https-server.ssl.private-key-password"));
    }

    @Test
    void keyOfAnotherCertificateIsCalledAMismatch() {
        runner.withPropertyValues(
                        "https-server.ssl.certificate=" + CERTIFICATE,
                        "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.CLIENT.privateKey()))
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("does not match the certificate")
                            .contains("inline PEM + inline PEM");
                    assertThat(analysis.getAction())
                            .startsWith("Configure the private key that was generated together");
                });
    }

    @Test
    void certificateWithoutKeySaysWhichHalfIsMissing() {
        runner.withPropertyValues("https-server.ssl.certificate=" + CERTIFICATE).run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("private-key is missing");
            assertThat(analysis.getAction()).contains("https-server.ssl.private-key");
        });
    }

    @Test
    void expiredCertificateRefusedWhenFailOnExpiredIsSet() throws Exception {
        Instant now = Instant.now();
        KeyMaterial expired = TestHttps.CA.issueServer(
                "localhost",
                now.minus(10, ChronoUnit.DAYS),
                now.minus(1, ChronoUnit.DAYS),
                Certificates.DEVELOPMENT_NAMES);
        runner.withPropertyValues(
                        "https-server.ssl.certificate=" + Certificates.toPem(expired.chain()),
                        "https-server.ssl.private-key=" + Certificates.toPem(expired.privateKey()),
                        "https-server.ssl.fail-on-expired-certificate=true")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getAction())
                        .startsWith("Renew the certificate"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "max-open-sockets      | 0",
                "max-uri-handlers      | 0",
                "backlog-conn          | 0",
                "recv-wait-timeout     | 0s",
                "max-req-hdr-len       | 10B",
                "max-uri-len           | 3GB",
                "max-ws-frame-length   | 0B",
                "max-ws-message-length | 1KB",
                "keep-alive-count      | 0",
                "idle-timeout          | -1s",
                "port-secure           | 70000",
                "tls-handshake-timeout | 0s",
                "ssl.protocols         | SSLv3",
                "ssl.client-auth       | required",
                "ssl.cipher-suites     | NOT_A_CIPHER_SUITE",
            })
    void invalidPropertyValueNamesTheProperty(String property, String value) {
        runner.withPropertyValues(
                        "https-server." + property + "=" + value,
                        "https-server.ssl.certificate=" + CERTIFICATE,
                        "https-server.ssl.private-key=" + KEY)
                .run(context -> {
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOfSatisfying(
                                    InvalidConfigurationPropertyValueException.class,
                                    invalid -> assertThat(invalid.getName()).isEqualTo("https-server." + property));
                    assertThat(analyze(context.getStartupFailure()).getDescription())
                            .contains("'https-server." + property + "'");
                });
    }

    /**
     * What Spring Boot's failure analysis would report: the first analyzer that answers, given the
     * application's environment, here holding {@code properties} ({@code name=value}).
     */
    private static FailureAnalysis analyze(Throwable failure, String... properties) {
        assertThat(failure).as("startup failure").isNotNull();
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "test",
                        java.util.Arrays.stream(properties)
                                .map(property -> property.split("=", 2))
                                .collect(
                                        java.util.stream.Collectors.toMap(pair -> pair[0], pair -> (Object) pair[1]))));
        ArgumentResolver arguments = ArgumentResolver.of(Environment.class, environment)
                .and(BeanFactory.class, new DefaultListableBeanFactory());
        // as Spring Boot does, skip analyzers whose subject is not on the classpath
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, arguments, FailureHandler.handleMessage((message, e) -> {}));
        return analyzers.stream()
                .map(analyzer -> analyzer.analyze(failure))
                .filter(analysis -> analysis != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no failure analysis for " + failure));
    }
}
