package dev.httpsd.sample;

import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.KeyMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * With the {@code mtls} profile: creates a CA, a server certificate and a client certificate in
 * {@code sample.mtls.directory} with the project's own generator when they do not exist yet, before
 * the server starts. Sample-only: real certificates come from a real CA.
 */
@Component
@Profile("mtls")
class MtlsCertificates implements InitializingBean {

    private static final Log LOG = LogFactory.getLog(MtlsCertificates.class);

    private final Path directory;

    MtlsCertificates(SampleProperties properties) {
        this.directory = properties.mtls().directory();
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        if (Files.exists(directory.resolve("ca.pem"))) {
            return;
        }
        generate(directory);
        LOG.info("Created a CA, server and client certificate in " + directory.toAbsolutePath()
                + "; call with: curl --cacert "
                + directory.resolve("ca.pem") + " --cert " + directory.resolve("client.pem") + " --key "
                + directory.resolve("client-key.pem") + " https://localhost:8443/whoami");
    }

    /** Writes ca.pem, server.pem/server-key.pem and client.pem/client-key.pem into {@code directory}. */
    static void generate(Path directory) throws Exception {
        Files.createDirectories(directory);
        Certificates.Authority ca = Certificates.authority("httpsd sample CA", Duration.ofDays(365));
        KeyMaterial server = ca.issueServer("localhost", Duration.ofDays(365), Certificates.DEVELOPMENT_NAMES);
        KeyMaterial client = ca.issueClient("sample client", Duration.ofDays(365));
        Files.writeString(directory.resolve("ca.pem"), Certificates.toPem(List.of(ca.certificate())));
        Certificates.writePem(server, directory.resolve("server.pem"), directory.resolve("server-key.pem"));
        Certificates.writePem(client, directory.resolve("client.pem"), directory.resolve("client-key.pem"));
    }
}
