package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.UriHandler;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The TLS session is the HTTP session's transport context; the session callback ({@code user_cb})
 * and the user's hooks run at ESP's points: open hook after the handshake, then CREATE; on close
 * the user's close hook, then the TLS close, HTTP DISCONNECTED, CLOSE (TLS session still
 * readable), HTTPS DISCONNECTED; ERROR for a failed handshake.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class TlsSessionTest {

    @Parameter
    TlsEngine engine;

    private static final String REQUEST = "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private final List<TlsSessionEvent> callbacks = new CopyOnWriteArrayList<>();

    @Test
    void hooksCallbacksAndEventsRunInEspOrder() throws Exception {
        try (TlsTestServer server = startRecording(b -> b);
                SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port());
                RawClient client = new RawClient(socket)) {
            server.https().httpServer().registerUriHandler(UriHandler.of("/order", HttpMethod.GET, (req, resp) -> {
                timeline.add("handler");
                resp.send("ok");
            }));
            assertThat(client.exchange("GET /order HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                    .isEqualTo("ok");
            socket.close();
            awaitTimeline("HTTPS DISCONNECTED");
        }

        assertThat(timeline)
                .containsExactly(
                        "open hook: handshake done, TLS session installed",
                        "callback CREATE",
                        "HTTPS ON_CONNECTED",
                        "HTTP ON_CONNECTED",
                        "handler",
                        "close hook: TLS session still open",
                        "HTTP DISCONNECTED",
                        "callback CLOSE",
                        "HTTPS DISCONNECTED");
    }

    /**
     * ESP ignores {@code open_fn}'s result under TLS; here a Java exception from the user's open
     * hook rejects the session, as it does without TLS. The session never became a TLS session for
     * the application (no CREATE, no HTTPS ON_CONNECTED), so none is announced closed either (no
     * CLOSE, no HTTPS DISCONNECTED); the client still gets close_notify, and the engine is freed.
     */
    @Test
    void anOpenHookThatThrowsRejectsTheSessionWithNoCallbackOrHttpsEventLeftUnpaired() throws Exception {
        int openBefore;
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.sessionCallback(event -> {
                                    callbacks.add(event);
                                    timeline.add("callback " + event.state());
                                })
                                .httpd(HttpServerConfig.builder()
                                        .openHook(session -> {
                                            timeline.add("open hook throws");
                                            throw new IllegalStateException("not this client");
                                        })
                                        .closeHook(session -> timeline.add(closeHookView(session)))
                                        .eventListener(event -> timeline.add(EventRecorder.label(event)))
                                        .build()));
                SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port())) {
            openBefore = server.https().httpServer().openSessions();
            assertThat(socket.getInputStream().read())
                    .as("a clean close: close_notify, then the end of the stream")
                    .isEqualTo(-1);
            dev.httpsd.server.Await.until(
                    "the session is gone", () -> server.https().httpServer().openSessions() == 0);
            // announced or not, the session's engine is freed (OpenSSL: its native SSL)
            TlsResourceCheck.assertReleased(server.https(), 0);
        }

        assertThat(openBefore).isLessThanOrEqualTo(1);
        assertThat(timeline)
                .filteredOn(entry -> !entry.endsWith(" START") && !entry.endsWith(" STOP"))
                .containsExactly("open hook throws", "close hook: TLS session still open", "HTTP DISCONNECTED");
        assertThat(callbacks).isEmpty();
    }

    @Test
    void aFailedHandshakeCallsBackErrorWithThePeerAndSkipsTheOpenHook() throws Exception {
        int clientPort;
        try (TlsTestServer server = startRecording(b -> b.caCertificates(List.of(TlsFixtures.CA.certificate())))) {
            try (SSLSocket noCertificate = (SSLSocket)
                    TlsFixtures.clientContext(null).getSocketFactory().createSocket("localhost", server.port())) {
                clientPort = noCertificate.getLocalPort();
                noCertificate.setSSLParameters(parameters(noCertificate, "TLSv1.2"));
                assertThatThrownBy(noCertificate::startHandshake).isInstanceOf(IOException.class);
            }
            awaitTimeline("HTTP DISCONNECTED");
        }

        // ESP calls the user's close_fn for every deleted session, a failed handshake's included
        assertThat(timeline).containsExactly("callback ERROR", "close hook: no TLS session", "HTTP DISCONNECTED");
        assertThat(callbacks).singleElement().satisfies(event -> {
            assertThat(event.state()).isEqualTo(TlsSessionEvent.State.ERROR);
            assertThat(event.tls()).isNull();
            assertThat(event.error().exceptionType()).isEqualTo("SSLHandshakeException");
            assertThat(event.session().remoteAddress().getPort()).isEqualTo(clientPort);
            assertThat(TlsSession.of(event.session())).isEmpty();
        });
    }

    @Test
    void handlersReadProtocolCipherSniAlpnAndTheClientChain() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.caCertificates(List.of(TlsFixtures.CA.certificate()))
                                .sniKey("api.example.com", TlsFixtures.SERVER));
                SSLSocket socket = TlsFixtures.connect(
                        TlsFixtures.clientContext(TlsFixtures.CLIENT), server.port(), parameters -> {
                            TlsFixtures.serverName("api.example.com").accept(parameters);
                            parameters.setApplicationProtocols(new String[] {"http/1.1"});
                            parameters.setCipherSuites(new String[] {"TLS_AES_256_GCM_SHA384"});
                        });
                RawClient client = new RawClient(socket)) {
            assertThat(client.exchange(REQUEST).bodyText())
                    .isEqualTo("protocol=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 sni=api.example.com alpn=http/1.1"
                            + " peer=CN=test client,CN=httpsd test CA");
        }
    }

    @Test
    void theTlsSessionIsTheTransportContextAndTheCallbacksSeeThePeerChain() throws Exception {
        List<Object> contexts = new CopyOnWriteArrayList<>();
        try (TlsTestServer server = startRecording(b -> b.caCertificates(List.of(TlsFixtures.CA.certificate())));
                SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(TlsFixtures.CLIENT), server.port());
                RawClient client = new RawClient(socket)) {
            server.https().httpServer().registerUriHandler(UriHandler.of("/ctx", HttpMethod.GET, (req, resp) -> {
                contexts.add(req.session().transportContext());
                contexts.add(TlsSession.of(req.session()).orElseThrow());
                resp.send("ok");
            }));
            client.exchange("GET /ctx HTTP/1.1\r\nHost: x\r\n\r\n");
            socket.close();
            awaitTimeline("HTTPS DISCONNECTED");
        }

        assertThat(callbacks)
                .extracting(TlsSessionEvent::state)
                .containsExactly(TlsSessionEvent.State.CREATE, TlsSessionEvent.State.CLOSE);
        TlsSession tls = callbacks.get(0).tls();
        assertThat(contexts).containsExactly(tls, tls);
        assertThat(callbacks.get(1).tls()).isSameAs(tls);
        for (TlsSessionEvent event : callbacks) {
            assertThat(event.tls().peerCertificates())
                    .extracting(X509Certificate::getSubjectX500Principal)
                    .extracting(Object::toString)
                    .containsExactly("CN=test client", "CN=httpsd test CA");
            assertThat(event.tls().protocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void aCallbackThatThrowsDoesNotCostTheClientItsConnection() throws Exception {
        // ESP's user_cb returns nothing: a failing callback is the application's bug, logged
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.sessionCallback(event -> {
                            callbacks.add(event);
                            throw new IllegalStateException("callback bug on " + event.state());
                        }));
                SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port());
                RawClient client = new RawClient(socket)) {
            assertThat(client.exchange(REQUEST).status()).isEqualTo(200);
            assertThat(client.exchange(REQUEST).status()).isEqualTo(200);
        }
        assertThat(callbacks).extracting(TlsSessionEvent::state).startsWith(TlsSessionEvent.State.CREATE);
    }

    @Test
    void peerCertificatesAreEmptyWithoutClientAuthOrWithoutACertificate() throws Exception {
        try (TlsTestServer none = TlsTestServer.start(engine);
                TlsTestServer optional = TlsTestServer.start(
                        engine,
                        b -> b.caCertificates(List.of(TlsFixtures.CA.certificate()))
                                .clientAuth(ClientAuth.OPTIONAL))) {
            // the client would present a certificate, but the server does not ask for one
            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(TlsFixtures.CLIENT), none.port(), "/tls", p -> {})
                            .bodyText())
                    .endsWith("peer=-");
            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), optional.port(), "/tls", p -> {})
                            .bodyText())
                    .endsWith("peer=-");
        }
    }

    private TlsTestServer startRecording(UnaryOperator<HttpsServerConfig.Builder> customizer) throws Exception {
        return TlsTestServer.start(
                engine,
                b -> customizer
                        .apply(b)
                        .sessionCallback(event -> {
                            callbacks.add(event);
                            timeline.add("callback " + event.state());
                        })
                        .httpd(HttpServerConfig.builder()
                                .openHook(session -> timeline.add(
                                        TlsSession.of(session).isPresent()
                                                ? "open hook: handshake done, TLS session installed"
                                                : "open hook: no TLS session"))
                                .closeHook(session -> timeline.add(closeHookView(session)))
                                .eventListener(this::recordConnectionEvent)
                                .build()));
    }

    private static SSLParameters parameters(SSLSocket socket, String protocol) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {protocol});
        return parameters;
    }

    private static String closeHookView(HttpSession session) {
        return TlsSession.of(session)
                .map(tls -> tls.channel().isClosed()
                        ? "close hook: TLS session closed"
                        : "close hook: TLS session still open")
                .orElse("close hook: no TLS session");
    }

    /** Connection events only: the ones the hooks and callbacks are ordered against. */
    private void recordConnectionEvent(ServerEvent event) {
        if (event.name().equals("ON_CONNECTED") || event.name().equals("DISCONNECTED")) {
            timeline.add(EventRecorder.label(event));
        }
    }

    private void awaitTimeline(String entry) throws InterruptedException {
        long deadline = System.nanoTime() + TlsFixtures.PATIENCE.toNanos();
        while (!timeline.contains(entry)) {
            assertThat(System.nanoTime())
                    .as("waiting for %s in %s", entry, timeline)
                    .isLessThan(deadline);
            LockSupport.parkNanos(5_000_000);
        }
    }
}
