package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpServerConfig;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * The two servers of the client-certificate suites, trusting the test CA: one REQUIRES a client
 * certificate, one makes it OPTIONAL; each with its event recorder, and a bystander with a valid
 * certificate on each around every case, who must notice nothing.
 */
final class ClientAuthServers {

    final EventRecorder requiredEvents = new EventRecorder();
    final EventRecorder optionalEvents = new EventRecorder();
    final TlsTestServer required;
    final TlsTestServer optional;
    private final List<AfterCaseCheck> checks = new ArrayList<>();

    private ClientAuthServers(TlsEngine engine, UnaryOperator<HttpServerConfig.Builder> httpd) throws Exception {
        List<X509Certificate> ca = List.of(TlsFixtures.CA.certificate());
        required = TlsTestServer.start(
                engine, b -> b.caCertificates(ca).httpd(h -> httpd.apply(h).eventListener(requiredEvents)));
        optional = TlsTestServer.start(
                engine,
                b -> b.caCertificates(ca)
                        .clientAuth(ClientAuth.OPTIONAL)
                        .httpd(h -> httpd.apply(h).eventListener(optionalEvents)));
    }

    /** Both servers on {@code engine}, their HTTP servers changed by {@code httpd}, each handshaken once. */
    static ClientAuthServers start(TlsEngine engine, UnaryOperator<HttpServerConfig.Builder> httpd) throws Exception {
        ClientAuthServers servers = new ClientAuthServers(engine, httpd);
        // a handshake on each before any baseline: the TLS timer threads start with the first one
        SSLContext valid = TlsFixtures.clientContext(TlsFixtures.CLIENT);
        for (TlsTestServer server : List.of(servers.required, servers.optional)) {
            assertThat(TlsFixtures.fetch(valid, server.port(), "/tls", p -> {}).status())
                    .isEqualTo(200);
        }
        return servers;
    }

    EventRecorder events(ClientAuth mode) {
        return mode == ClientAuth.REQUIRED ? requiredEvents : optionalEvents;
    }

    /** Before a case: a bystander with a valid certificate on each server. */
    void connectBystanders() throws Exception {
        SSLContext valid = TlsFixtures.clientContext(TlsFixtures.CLIENT);
        checks.add(AfterCaseCheck.before(required.https(), valid));
        checks.add(AfterCaseCheck.before(optional.https(), valid));
    }

    /** After a case, accepted or refused: neither server's other clients noticed anything. */
    void assertNobodyNoticed() throws Exception {
        try {
            for (AfterCaseCheck check : checks) {
                check.assertNobodyNoticed();
            }
        } finally {
            for (AfterCaseCheck check : checks) {
                check.close();
            }
            checks.clear();
        }
    }

    void close() {
        required.close();
        optional.close();
    }
}
