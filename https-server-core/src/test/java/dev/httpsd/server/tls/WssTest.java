package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.SuiteRecord;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.WebSocket;
import dev.httpsd.server.WsFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The WebSocket API works unchanged over the TLS transport (wss), as ESP's wss_server example. */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class WssTest {

    /** The {@code websocket} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("websocket");

    @Parameter
    TlsEngine engine;

    @Test
    void echoesOverWssAndSeesTheTlsSession() throws Exception {
        HttpsServer https = HttpsServer.start(HttpsServerConfig.builder()
                .engine(engine)
                .portSecure(0)
                .serverKey(TlsFixtures.SERVER)
                .build());
        try {
            https.httpServer()
                    .registerUriHandler(UriHandler.webSocket(
                            "/ws",
                            (request, response) -> {
                                WebSocket ws = WebSocket.of(request).orElseThrow();
                                if (request.method() == HttpMethod.GET) {
                                    String protocol = TlsSession.of(request.session())
                                            .orElseThrow()
                                            .protocol();
                                    ws.sendFrame(WsFrame.text("hello over " + protocol));
                                    return;
                                }
                                WsFrame frame = ws.recvFrame(1 << 20); // the JDK client fragments at 16 KiB
                                ws.sendFrame(new WsFrame(
                                        frame.type(), frame.finalFragment(), frame.fragmented(), frame.payload()));
                            },
                            null));
            var messages = new TextMessages();
            var client = HttpClient.newBuilder()
                    .sslContext(TlsFixtures.clientContext(null))
                    .build()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create("wss://localhost:" + https.port() + "/ws"), messages)
                    .get(20, TimeUnit.SECONDS);
            assertThat(messages.received.poll(20, TimeUnit.SECONDS)).isEqualTo("hello over TLSv1.3");
            client.sendText("ping", true).get(10, TimeUnit.SECONDS);
            assertThat(messages.received.poll(20, TimeUnit.SECONDS)).isEqualTo("ping");
            byte[] big = new byte[70_000];
            java.util.Arrays.fill(big, (byte) 'a');
            client.sendText(new String(big, StandardCharsets.US_ASCII), true).get(10, TimeUnit.SECONDS);
            assertThat(messages.received.poll(20, TimeUnit.SECONDS)).hasSize(70_000);
            client.sendPing(ByteBuffer.allocate(0));
            client.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
            assertThat(messages.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
        } finally {
            https.stop();
        }
    }
}
