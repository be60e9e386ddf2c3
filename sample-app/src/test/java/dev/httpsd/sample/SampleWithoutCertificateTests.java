package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.tls.TlsMaterialException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Started with {@code --https-server.ssl.dev-certificate.enabled=false} and no certificate, the
 * sample does not start (so {@code java -jar} exits with a non-zero status) and Spring Boot
 * prints a failure analysis naming every way to configure a certificate.
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleWithoutCertificateTests {

    @TempDir
    Path devCertificates;

    @Test
    void withoutTheDevelopmentCertificateTheSampleRefusesToStartAndSaysWhatToConfigure(CapturedOutput output) {
        assertThatThrownBy(() -> SpringApplication.run(
                        SampleApplication.class,
                        "--https-server.ssl.dev-certificate.enabled=false",
                        "--https-server.ssl.dev-certificate.directory=" + devCertificates,
                        "--https-server.port-secure=0",
                        "--management.server.port=0"))
                .hasRootCauseInstanceOf(TlsMaterialException.class);
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("no server certificate is configured")
                .contains("https-server.ssl.certificate")
                .contains("https-server.ssl.private-key")
                .contains("https-server.ssl.bundle")
                .contains("https-server.ssl.dev-certificate.enabled=true");
        assertThat(devCertificates.resolve("dev-localhost.pem")).doesNotExist();
    }
}
