package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.UriHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * In SECURE mode the APIs the TLS layer owns (recv/send/pending overrides, the transport
 * context, the global transport context) are refused with a message saying why, instead of
 * silently breaking TLS; in INSECURE mode they are the user's.
 */
class ReservedApiTest {

    private static final String RESERVED = "should not be used with esp_https_server";

    /** Each reserved call, applied to a session. */
    private static final Map<String, Consumer<HttpSession>> RESERVED_CALLS = Map.of(
            "setRecvOverride", s -> s.setRecvOverride((session, b, off, len) -> -1),
            "setSendOverride", s -> s.setSendOverride((session, b, off, len) -> len),
            "setPendingOverride", s -> s.setPendingOverride(session -> 0),
            "setTransportContext", s -> s.setTransportContext("mine", null));

    @Test
    void reservedSessionCallsFromAHandlerAreRefusedAndTlsKeepsWorking() throws Exception {
        Map<String, Throwable> refusals = new ConcurrentHashMap<>();
        try (TlsTestServer server = TlsTestServer.start()) {
            server.https().httpServer().registerUriHandler(UriHandler.of("/tamper", HttpMethod.GET, (req, resp) -> {
                RESERVED_CALLS.forEach((name, call) -> refusals.put(name, thrown(() -> call.accept(req.session()))));
                resp.send("still TLS: " + TlsSession.of(req.session()).isPresent());
            }));
            try (SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port());
                    RawClient client = new RawClient(socket)) {
                assertThat(client.exchange("GET /tamper HTTP/1.1\r\nHost: x\r\n\r\n")
                                .bodyText())
                        .isEqualTo("still TLS: true");
                assertThat(client.exchange("GET /tls HTTP/1.1\r\nHost: x\r\n\r\n")
                                .status())
                        .isEqualTo(200);
            }
        }

        assertRefused(refusals);
    }

    @Test
    void reservedSessionCallsFromTheOpenHookAreRefusedAfterTheHandshake() throws Exception {
        Map<String, Throwable> refusals = new ConcurrentHashMap<>();
        List<Boolean> handshakeDone = new ArrayList<>();
        try (TlsTestServer server = TlsTestServer.start(b -> b.httpd(HttpServerConfig.builder()
                .openHook(session -> {
                    handshakeDone.add(TlsSession.of(session).isPresent());
                    RESERVED_CALLS.forEach((name, call) -> refusals.put(name, thrown(() -> call.accept(session))));
                })
                .build()))) {
            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/tls", p -> {})
                            .status())
                    .isEqualTo(200);
        }

        assertThat(handshakeDone).containsExactly(true);
        assertRefused(refusals);
    }

    @Test
    void aGlobalTransportContextIsRefusedAtBuildInSecureMode() {
        assertThatThrownBy(() -> HttpsServerConfig.builder()
                        .serverKey(TlsFixtures.SERVER)
                        .httpd(HttpServerConfig.builder()
                                .globalTransportContext("mine", null)
                                .build())
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(RESERVED)
                .hasMessageContaining("globalTransportContext");
    }

    @Test
    void inSecureModeTheGlobalTransportContextIsTheServersTlsContextAndFollowsReloads() throws Exception {
        javax.net.ssl.SSLContext first = TlsFixtures.serverContext();
        javax.net.ssl.SSLContext second = TlsFixtures.serverContext();
        List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TlsTestServer server = TlsTestServer.start(b -> b.serverKey(null).sslContext(first))) {
            server.https().httpServer().registerUriHandler(UriHandler.of("/global", HttpMethod.GET, (req, resp) -> {
                Object global = req.session().server().globalTransportContext();
                seen.add(global);
                resp.send(((TlsServerContext) global).sslContext() == first ? "first" : "other");
            }));
            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/global", p -> {})
                            .bodyText())
                    .isEqualTo("first");

            server.https().reload(second);

            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/global", p -> {})
                            .bodyText())
                    .isEqualTo("other");
            TlsServerContext context =
                    TlsServerContext.of(server.https().httpServer()).orElseThrow();
            assertThat(seen).containsOnly(context);
            assertThat(context.sslContext()).isSameAs(second);
            assertThat(context.engine()).isEqualTo(TlsEngine.JDK);
            assertThat(context.clientAuth()).isEqualTo(ClientAuth.NONE);
        }
    }

    @Test
    void inInsecureModeTheseCallsBelongToTheUser() throws Exception {
        Map<String, Throwable> outcomes = new ConcurrentHashMap<>();
        HttpsServer http = HttpsServer.start(HttpsServerConfig.builder()
                .transportMode(TransportMode.INSECURE)
                .portInsecure(0)
                .httpd(HttpServerConfig.builder()
                        .globalTransportContext("global", null)
                        .build())
                .build());
        try {
            http.httpServer().registerUriHandler(UriHandler.of("/own", HttpMethod.GET, (req, resp) -> {
                outcomes.put("setTransportContext", thrown(() -> req.session().setTransportContext("mine", null)));
                outcomes.put("setPendingOverride", thrown(() -> req.session().setPendingOverride(null)));
                resp.send(String.valueOf(req.session().transportContext()) + " "
                        + req.session().server().globalTransportContext());
            }));
            try (RawClient client = new RawClient(http.port())) {
                assertThat(client.exchange("GET /own HTTP/1.1\r\nHost: x\r\n\r\n")
                                .bodyText())
                        .isEqualTo("mine global");
            }
        } finally {
            http.stop();
        }
        assertThat(outcomes)
                .hasSize(2)
                .allSatisfy((name, outcome) -> assertThat(outcome).as(name).isInstanceOf(NoError.class));
    }

    private static void assertRefused(Map<String, Throwable> refusals) {
        assertThat(refusals).containsOnlyKeys(RESERVED_CALLS.keySet());
        refusals.forEach((name, thrown) -> assertThat(thrown)
                .as(name)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(RESERVED));
    }

    /** What the call threw, or a {@link NoError} marker (maps hold no nulls). */
    private static Throwable thrown(Runnable call) {
        try {
            call.run();
            return new NoError();
        } catch (Throwable t) {
            return t;
        }
    }

    /** Marks a call that returned normally. */
    private static final class NoError extends Throwable {
        private static final long serialVersionUID = 1L;
    }
}
