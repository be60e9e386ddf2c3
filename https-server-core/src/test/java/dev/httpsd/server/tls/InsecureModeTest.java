package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.UriMatcher;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * INSECURE mode ({@code HTTPD_SSL_TRANSPORT_INSECURE}): plain HTTP on {@code portInsecure}, every
 * HTTP setting honoured, and no TLS object at all: no handshake, no TLS session, no session
 * callback, no per-connection HTTPS events.
 */
class InsecureModeTest {

    private final EventRecorder events = new EventRecorder();
    private final List<TlsSessionEvent> callbacks = new CopyOnWriteArrayList<>();
    private final List<String> hooks = new CopyOnWriteArrayList<>();

    @Test
    void plainHttpIsServedOnTheInsecurePortWithoutAnyTlsObject() throws Exception {
        HttpsServer http = start(HttpsServerConfig.builder());
        try {
            try (RawClient client = new RawClient(http.port())) {
                RawClient.Response first = client.exchange("GET /where HTTP/1.1\r\nHost: x\r\n\r\n");
                RawClient.Response second = client.exchange("GET /where HTTP/1.1\r\nHost: x\r\n\r\n");

                assertThat(first.bodyText()).isEqualTo("plain, context=null");
                assertThat(second.status()).isEqualTo(200);
            }
            assertThat(http.transportMode()).isEqualTo(TransportMode.INSECURE);
            assertThat(http.port()).isPositive().isEqualTo(http.httpServer().port());
        } finally {
            http.stop();
        }

        assertThat(callbacks).isEmpty();
        assertThat(hooks).containsExactly("open", "close");
        assertThat(events.labels().stream().filter(label -> label.startsWith("HTTPS")))
                .containsExactly("HTTPS START", "HTTPS STOP");
        assertThat(events.https(HttpsServerEvent.Start.class))
                .singleElement()
                .extracting(HttpsServerEvent.Start::mode)
                .isEqualTo(TransportMode.INSECURE);
    }

    @Test
    void aTlsClientGetsNoHandshake() throws Exception {
        HttpsServer http = start(HttpsServerConfig.builder().serverKey(TlsFixtures.SERVER));
        try {
            assertThatThrownBy(() -> TlsFixtures.connect(TlsFixtures.clientContext(null), http.port())
                            .close())
                    .isInstanceOf(IOException.class);
            assertThat(callbacks).isEmpty();
            assertThat(events.labels()).doesNotContain("HTTPS ERROR", "HTTPS ON_CONNECTED");
        } finally {
            http.stop();
        }
    }

    @Test
    void theSecurePortIsNotTouched() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            HttpsServer http = HttpsServer.start(HttpsServerConfig.builder()
                    .transportMode(TransportMode.INSECURE)
                    .portInsecure(0)
                    .portSecure(taken.getLocalPort())
                    .build());
            try {
                assertThat(http.port()).isNotEqualTo(taken.getLocalPort());
            } finally {
                http.stop();
            }
        }
    }

    @Test
    void httpSettingsAreHonoured() throws Exception {
        HttpsServer http = start(HttpsServerConfig.builder()
                .httpd(HttpServerConfig.builder()
                        .maxUriLen(64)
                        .uriMatcher(UriMatcher.wildcard())
                        .build()));
        try {
            http.httpServer()
                    .registerUriHandler(
                            UriHandler.of("/files/*", HttpMethod.GET, (req, resp) -> resp.send("file " + req.path())));
            try (RawClient client = new RawClient(http.port())) {
                assertThat(client.exchange("GET /files/a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
                                .bodyText())
                        .isEqualTo("file /files/a.txt");
                assertThat(client.exchange("GET /" + "u".repeat(100) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                                .status())
                        .isEqualTo(414);
            }
        } finally {
            http.stop();
        }
    }

    private HttpsServer start(HttpsServerConfig.Builder builder) throws IOException {
        builder.transportMode(TransportMode.INSECURE).portInsecure(0);
        HttpServerConfig httpd = builder.build().httpd();
        HttpsServer http = HttpsServer.start(builder.sessionCallback(callbacks::add)
                .httpd(httpd.toBuilder()
                        .eventListener(events)
                        .openHook(session -> hooks.add("open"))
                        .closeHook(session -> hooks.add("close"))
                        .build())
                .build());
        http.httpServer()
                .registerUriHandler(UriHandler.of(
                        "/where",
                        HttpMethod.GET,
                        (req, resp) -> resp.send(
                                TlsSession.of(req.session()).isPresent()
                                        ? "tls"
                                        : "plain, context=" + req.session().transportContext())));
        return http;
    }
}
