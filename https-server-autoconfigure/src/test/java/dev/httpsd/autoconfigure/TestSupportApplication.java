package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.tls.TlsSession;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * The application of the test-support tests: one handler, configured by {@code
 * fixed-ports-application.properties} (fixed ports, development certificate, management port),
 * which the tests select with {@code spring.config.name}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TestSupportApplication.Handlers.class)
class TestSupportApplication {

    static final String CONFIG = "spring.config.name=fixed-ports-application";

    @Component
    static class Handlers {

        @UriMapping(uri = "/hello")
        String hello(HttpRequest request) {
            return "Hello " + request.decodedQueryValue("name").orElse("World");
        }

        /** The subject of the client certificate, or "none". */
        @UriMapping(uri = "/client")
        String client(HttpRequest request) {
            return TlsSession.of(request.session())
                    .filter(tls -> !tls.peerCertificates().isEmpty())
                    .map(tls -> tls.peerCertificates()
                            .get(0)
                            .getSubjectX500Principal()
                            .getName())
                    .orElse("none");
        }
    }
}
