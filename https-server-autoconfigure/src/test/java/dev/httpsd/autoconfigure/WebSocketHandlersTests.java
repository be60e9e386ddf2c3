package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.WebSocket;
import dev.httpsd.server.WebSocketOptions;
import dev.httpsd.server.WebSocketPreHandshake;
import dev.httpsd.server.WsFrame;
import dev.httpsd.test.RawHttpConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.NestedExceptionUtils;

/**
 * The WebSocket attributes of {@link UriHandlerBean} and {@link UriMapping} ({@code webSocket},
 * {@code handleControlFrames}, {@code subprotocol}) become the handler's {@link
 * WebSocketOptions}; a bean implementing {@link WebSocketPreHandshake} decides on its upgrades;
 * a WebSocket endpoint on any method but GET alone stops the application.
 */
class WebSocketHandlersTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    private static UriHandler handler(AssertableApplicationContext context, String uri) {
        assertThat(context).hasNotFailed();
        return server(context).httpServer().uriHandlers().stream()
                .filter(handler -> handler.uri().equals(uri))
                .reduce((a, b) -> {
                    throw new AssertionError("two handlers for " + uri);
                })
                .orElseThrow(() -> new AssertionError("no handler for " + uri));
    }

    @Test
    void uriHandlerBeanWebSocketAttributesBecomeTheHandlersOptions() {
        runner.withUserConfiguration(ClassEndpoints.class).run(context -> {
            UriHandler chat = handler(context, "/chat");
            assertThat(chat.isWebSocket()).isTrue();
            assertThat(chat.method()).isEqualTo(HttpMethod.GET);
            assertThat(chat.webSocket()).isEqualTo(new WebSocketOptions(true, "chat", null));
            assertThat(chat.handler()).isSameAs(context.getBean(ChatEndpoint.class));
        });
    }

    @Test
    void uriMappingWebSocketAttributesBecomeTheHandlersOptions() {
        runner.withUserConfiguration(MethodEndpoints.class).run(context -> {
            assertThat(handler(context, "/mqtt").webSocket()).isEqualTo(new WebSocketOptions(false, "mqtt", null));
            assertThat(handler(context, "/controls").webSocket()).isEqualTo(new WebSocketOptions(true, null, null));
        });
    }

    @Test
    void webSocketTrueAloneGivesTheCoreDefaults() {
        runner.withUserConfiguration(MethodEndpoints.class)
                .run(context ->
                        assertThat(handler(context, "/plain-ws").webSocket()).isEqualTo(WebSocketOptions.defaults()));
    }

    @Test
    void webSocketAttributesWithoutWebSocketTrueRegisterAnHttpHandler() {
        runner.withUserConfiguration(MethodEndpoints.class).run(context -> {
            UriHandler http = handler(context, "/not-ws");
            assertThat(http.isWebSocket()).isFalse();
            assertThat(http.webSocket()).isNull();
        });
    }

    @Test
    void aUriHandlerBeanImplementingWebSocketPreHandshakeIsItsOwnCheck() {
        runner.withUserConfiguration(ClassEndpoints.class)
                .run(context -> assertThat(
                                handler(context, "/guarded").webSocket().preHandshake())
                        .isSameAs(context.getBean(GuardedEndpoint.class)));
    }

    @Test
    void aBeanImplementingWebSocketPreHandshakeChecksTheUpgradesOfItsMappedMethods() {
        runner.withUserConfiguration(GuardedMethods.class).run(context -> {
            GuardedMethods bean = context.getBean(GuardedMethods.class);
            assertThat(handler(context, "/guarded-method").webSocket().preHandshake())
                    .isSameAs(bean);
            // only WebSocket endpoints have a pre-handshake check
            assertThat(handler(context, "/guarded-http").webSocket()).isNull();
        });
    }

    @Test
    void thePreHandshakeBeanRejectsAndAcceptsRealUpgrades() {
        runner.withUserConfiguration(ClassEndpoints.class).run(context -> {
            assertThat(upgradeStatus(context, "/guarded?token=wrong")).isEqualTo(403);
            assertThat(upgradeStatus(context, "/guarded?token=secret")).isEqualTo(101);
            assertThat(context.getBean(GuardedEndpoint.class).checked).hasValue(2);
        });
    }

    @Test
    void aWebSocketUriHandlerBeanServesAJdkClientWithItsSubprotocol() {
        runner.withUserConfiguration(ClassEndpoints.class).run(context -> {
            var received = new LinkedBlockingQueue<String>();
            var closed = new CompletableFuture<Integer>();
            try (HttpClient client = TestHttps.client(null)) {
                var ws = client.newWebSocketBuilder()
                        .subprotocols("superchat", "chat")
                        .buildAsync(
                                URI.create("wss://localhost:" + TestHttps.port(context) + "/chat"),
                                new java.net.http.WebSocket.Listener() {
                                    @Override
                                    public CompletionStage<?> onText(
                                            java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
                                        received.add(data.toString());
                                        webSocket.request(1);
                                        return null;
                                    }

                                    @Override
                                    public CompletionStage<?> onClose(
                                            java.net.http.WebSocket webSocket, int code, String reason) {
                                        closed.complete(code);
                                        return null;
                                    }
                                })
                        .get(30, TimeUnit.SECONDS);
                assertThat(ws.getSubprotocol()).isEqualTo("chat");
                ws.sendText("hello", true).get(30, TimeUnit.SECONDS);
                assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("chat: hello");
                ws.sendClose(1000, "").get(30, TimeUnit.SECONDS);
                assertThat(closed.get(30, TimeUnit.SECONDS)).isEqualTo(1000);
            }
        });
    }

    @Test
    void aWebSocketUriHandlerBeanOnPostFailsStartupNamingTheBean() {
        runner.withUserConfiguration(PostEndpointConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessage("WebSocket endpoint /post-ws of bean 'postEndpoint' must use method GET only");
        });
    }

    @Test
    void aWebSocketUriMappingOnGetAndPostFailsStartupNamingTheMethod() {
        runner.withUserConfiguration(GetAndPostMapping.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessage("WebSocket endpoint /both-ws of method GetAndPostMapping.both of bean '"
                            + "webSocketHandlersTests.GetAndPostMapping' must use method GET only");
        });
    }

    @Test
    void aWebSocketUriMappingOnAnyMethodFailsStartup() {
        runner.withUserConfiguration(AnyMethodMapping.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("WebSocket endpoint /any-ws of method AnyMethodMapping.any")
                    .hasMessageEndingWith("must use method GET only");
        });
    }

    /** Sends a WebSocket upgrade for {@code target} over TLS and returns the response status. */
    private static int upgradeStatus(AssertableApplicationContext context, String target) throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(TestHttps.tlsSocket(TestHttps.port(context), null))) {
            return client.exchange("GET " + target + " HTTP/1.1\r\n"
                            + "Host: localhost\r\n"
                            + "Upgrade: websocket\r\n"
                            + "Connection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: 13\r\n"
                            + "\r\n")
                    .status();
        }
    }

    /** Answers each text frame with "chat: " and the text. */
    @UriHandlerBean(uri = "/chat", webSocket = true, handleControlFrames = true, subprotocol = "chat")
    static class ChatEndpoint implements RequestHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) throws IOException {
            if (request.method() != null) {
                return;
            }
            WebSocket ws = WebSocket.of(request).orElseThrow();
            WsFrame frame = ws.recvFrame(125);
            switch (frame.type()) {
                case TEXT -> ws.sendFrame(WsFrame.text("chat: " + frame.text()));
                case CLOSE -> ws.close(frame.closeCode(), "");
                default -> {}
            }
        }
    }

    /** Accepts upgrades carrying {@code ?token=secret}. */
    @UriHandlerBean(uri = "/guarded", webSocket = true)
    static class GuardedEndpoint implements RequestHandler, WebSocketPreHandshake {
        final java.util.concurrent.atomic.AtomicInteger checked = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public boolean accept(HttpRequest request, HttpResponse response) {
            checked.incrementAndGet();
            return request.queryValue("token").filter("secret"::equals).isPresent();
        }

        @Override
        public void handle(HttpRequest request, HttpResponse response) {}
    }

    @Configuration(proxyBeanMethods = false)
    @Import({ChatEndpoint.class, GuardedEndpoint.class})
    static class ClassEndpoints {}

    @Configuration(proxyBeanMethods = false)
    static class MethodEndpoints {
        @UriMapping(uri = "/mqtt", webSocket = true, subprotocol = "mqtt")
        void mqtt(HttpRequest request) {}

        @UriMapping(uri = "/controls", webSocket = true, handleControlFrames = true)
        void controls(HttpRequest request) {}

        @UriMapping(uri = "/plain-ws", webSocket = true)
        void plainWebSocket(HttpRequest request) {}

        @UriMapping(uri = "/not-ws", handleControlFrames = true, subprotocol = "ignored")
        String notWebSocket() {
            return "http";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class GuardedMethods implements WebSocketPreHandshake {
        @Override
        public boolean accept(HttpRequest request, HttpResponse response) {
            return true;
        }

        @UriMapping(uri = "/guarded-method", webSocket = true)
        void guarded(HttpRequest request) {}

        @UriMapping(uri = "/guarded-http")
        String http() {
            return "http";
        }
    }

    @UriHandlerBean(uri = "/post-ws", method = HttpMethod.POST, webSocket = true)
    static class PostEndpoint implements RequestHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) {}
    }

    @Configuration(proxyBeanMethods = false)
    static class PostEndpointConfiguration {
        @Bean
        PostEndpoint postEndpoint() {
            return new PostEndpoint();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class GetAndPostMapping {
        @UriMapping(
                uri = "/both-ws",
                method = {HttpMethod.GET, HttpMethod.POST},
                webSocket = true)
        void both(HttpRequest request) {}
    }

    @Configuration(proxyBeanMethods = false)
    static class AnyMethodMapping {
        @UriMapping(uri = "/any-ws", method = HttpMethod.ANY, webSocket = true)
        void any(HttpRequest request) {}
    }
}
