package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.port;
import static dev.httpsd.autoconfigure.TestHttps.presentedCertificate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.KeyMaterial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Certificate faults an operator meets at start, each with a message that says what is wrong
 * and where: a development-certificate directory that cannot be created (the server starts with a
 * certificate of this process only, and says so), and an expired chain (named with its subject and
 * expiry date; refused with a failure analysis under {@code fail-on-expired-certificate}). An
 * unreadable or missing key file is {@link FailureAnalyzersTests}'s.
 */
@ExtendWith(OutputCaptureExtension.class)
class CertificateFaultsAtStartTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0");

    @TempDir
    Path dir;

    @Test
    void aDevelopmentCertificateDirectoryThatCannotBeCreatedIsNamedWithTheReasonAndTheServerStillServes(
            CapturedOutput output) throws Exception {
        // a regular file where the directory's parent should be: not even root can create it
        Path file = Files.writeString(dir.resolve("in-the-way"), "a file\n", StandardCharsets.US_ASCII);
        Path directory = file.resolve("certificates");
        AtomicReference<X509Certificate> first = new AtomicReference<>();
        runner.withPropertyValues(
                        "https-server.ssl.dev-certificate.enabled=true",
                        "https-server.ssl.dev-certificate.directory=" + directory)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output.getOut())
                            .contains("Could not save the development certificate in " + directory)
                            .contains(directory + ": Not a directory")
                            .contains("clients must trust a new one at every start")
                            .contains("https-server.ssl.dev-certificate.directory");
                    first.set(presentedCertificate(port(context), "localhost"));
                    assertThat(first.get().getSubjectX500Principal().getName()).contains("localhost");
                });
        runner.withPropertyValues(
                        "https-server.ssl.dev-certificate.enabled=true",
                        "https-server.ssl.dev-certificate.directory=" + directory)
                .run(context -> assertThat(presentedCertificate(port(context), "localhost"))
                        .as("nothing was kept, as the warning said")
                        .isNotEqualTo(first.get()));
    }

    @Test
    void anExpiredChainAtStartIsNamedWithItsSubjectAndExpiryAndRefusedWhenAskedTo(CapturedOutput output) {
        Instant notAfter = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        KeyMaterial expired = TestHttps.CA.issueServer(
                "expired.example.test", notAfter.minus(30, ChronoUnit.DAYS), notAfter, Certificates.DEVELOPMENT_NAMES);
        String[] material = {
            "https-server.ssl.certificate=" + Certificates.toPem(expired.chain()),
            "https-server.ssl.private-key=" + Certificates.toPem(expired.privateKey())
        };
        runner.withPropertyValues(material).run(context -> {
            assertThat(context).as("a warning only, by default").hasNotFailed();
            assertThat(output.getAll())
                    .contains("TLS certificate problem")
                    .contains("'CN=expired.example.test' expired on " + notAfter)
                    .contains("clients will reject this server");
        });
        runner.withPropertyValues(material)
                .withPropertyValues("https-server.ssl.fail-on-expired-certificate=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new TlsMaterialFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("'CN=expired.example.test' expired on " + notAfter);
                    assertThat(analysis.getAction())
                            .startsWith("Renew the certificate")
                            .contains("https-server.ssl.fail-on-expired-certificate=false");
                });
    }
}
