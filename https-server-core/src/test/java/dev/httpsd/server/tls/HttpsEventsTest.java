package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.UriHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The HTTPS event family is posted to the same listeners as the HTTP family, at the points of
 * reference §5.2: HTTPS ON_CONNECTED before HTTP ON_CONNECTED, HTTPS DISCONNECTED after HTTP
 * DISCONNECTED, HTTP STOP then HTTPS STOP; ON_DATA carries the decrypted length.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class HttpsEventsTest {

    @Parameter
    TlsEngine engine;

    private static final String REQUEST = "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private final EventRecorder events = new EventRecorder();

    @Test
    void oneKeepAliveConnectionWithTwoRequestsPostsExactlyThisSequence() throws Exception {
        HttpsServer https = HttpsServer.start(HttpsServerConfig.builder()
                .engine(engine)
                .portSecure(0)
                .serverKey(TlsFixtures.SERVER)
                .httpd(HttpServerConfig.builder().eventListener(events).build())
                .build());
        https.httpServer().registerUriHandler(UriHandler.of("/tls", HttpMethod.GET, (req, resp) -> resp.send("hello")));
        int session;
        try (SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), https.port());
                RawClient client = new RawClient(socket)) {
            assertThat(client.exchange(REQUEST).bodyText()).isEqualTo("hello");
            assertThat(client.exchange(REQUEST).bodyText()).isEqualTo("hello");
            session = events.await("HTTPS ON_CONNECTED", TlsFixtures.PATIENCE).sessionId();
        }
        events.await("HTTPS DISCONNECTED", session, TlsFixtures.PATIENCE);
        https.stop();

        List<String> perRequest =
                List.of("HTTPS ON_DATA", "HTTP ON_HEADER", "HTTPS SENT_DATA", "HTTP HEADERS_SENT", "HTTP SENT_DATA");
        assertThat(events.labels(session))
                .containsExactly(concat(
                        List.of("HTTPS ON_CONNECTED", "HTTP ON_CONNECTED"),
                        perRequest,
                        perRequest,
                        List.of("HTTP DISCONNECTED", "HTTPS DISCONNECTED")));
        assertThat(events.labels(-1)).containsExactly("HTTP START", "HTTPS START", "HTTP STOP", "HTTPS STOP");
        List<String> all = events.labels();
        assertThat(all.subList(0, 2)).containsExactly("HTTP START", "HTTPS START");
        assertThat(all.subList(all.size() - 2, all.size())).containsExactly("HTTP STOP", "HTTPS STOP");
    }

    @Test
    void dataEventsCarryTheDecryptedAndEncryptedLengths() throws Exception {
        try (TlsTestServer server = start();
                SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port())) {
            socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            byte[] response = readResponse(socket.getInputStream());
            int session =
                    events.await("HTTPS ON_CONNECTED", TlsFixtures.PATIENCE).sessionId();
            events.await("HTTP SENT_DATA", session, TlsFixtures.PATIENCE);

            HttpsServerEvent.OnData received =
                    events.https(HttpsServerEvent.OnData.class).get(0);
            HttpsServerEvent.SentData sent =
                    events.https(HttpsServerEvent.SentData.class).get(0);
            assertThat(received.length()).isEqualTo(REQUEST.length());
            assertThat(sent.length()).isEqualTo(response.length);
            HttpServerEvent.SentData body = events.events().stream()
                    .filter(HttpServerEvent.SentData.class::isInstance)
                    .map(HttpServerEvent.SentData.class::cast)
                    .findFirst()
                    .orElseThrow();
            String text = new String(response, StandardCharsets.ISO_8859_1);
            assertThat(body.length()).isEqualTo(text.length() - text.indexOf("\r\n\r\n") - 4);
            assertThat(received.remoteAddress().getPort()).isEqualTo(socket.getLocalPort());
        }
    }

    @Test
    void aFailedHandshakeIsAnErrorWithTheAlertAndNoConnectedEvents() throws Exception {
        Certificates.Authority stranger = Certificates.authority("not trusted by the client", Duration.ofDays(1));
        try (TlsTestServer server = start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            // a client that trusts another CA rejects the server's certificate with an alert; it
            // keeps its TCP socket open so no reset can overtake the alert
            SSLSocket tls = (SSLSocket) TlsFixtures.clientContext(null, stranger.certificate())
                    .getSocketFactory()
                    .createSocket(socket, "localhost", server.port(), false);
            assertThatThrownBy(tls::startHandshake).isInstanceOf(SSLHandshakeException.class);

            HttpsServerEvent.Error error = (HttpsServerEvent.Error) events.await("HTTPS ERROR", TlsFixtures.PATIENCE);
            assertThat(error.error().exceptionType()).isEqualTo("SSLHandshakeException");
            assertThat(error.error().alert()).isNotNull();
            // JSSE says "Received fatal alert: bad_certificate", BoringSSL "SSLV3_ALERT_BAD_CERTIFICATE"
            assertThat(error.error().message())
                    .containsIgnoringCase(error.error().alert());
            assertThat(error.remoteAddress().getPort()).isEqualTo(socket.getLocalPort());
            events.await("HTTP DISCONNECTED", error.sessionId(), TlsFixtures.PATIENCE);
            assertThat(events.labels(error.sessionId())).containsExactly("HTTPS ERROR", "HTTP DISCONNECTED");
        }
    }

    @Test
    void aCorruptRecordAfterTheHandshakeIsAnError() throws Exception {
        try (TlsTestServer server = start();
                Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            SSLSocket tls = (SSLSocket) TlsFixtures.clientContext(null)
                    .getSocketFactory()
                    .createSocket(plain, "localhost", server.port(), false);
            tls.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
            RawClient client = new RawClient(tls);
            assertThat(client.exchange(REQUEST).status()).isEqualTo(200);
            int session =
                    events.await("HTTPS ON_CONNECTED", TlsFixtures.PATIENCE).sessionId();

            // an application-data record whose authentication cannot succeed
            byte[] forged = new byte[5 + 40];
            forged[0] = 23;
            forged[1] = 3;
            forged[2] = 3;
            forged[4] = 40;
            plain.getOutputStream().write(forged);

            ServerEvent error = events.await("HTTPS ERROR", session, TlsFixtures.PATIENCE);
            assertThat(((HttpsServerEvent.Error) error).error().exceptionType()).isNotBlank();
            events.await("HTTPS DISCONNECTED", session, TlsFixtures.PATIENCE);
            assertThat(events.labels(session).indexOf("HTTPS ERROR"))
                    .isLessThan(events.labels(session).indexOf("HTTP DISCONNECTED"));
        }
    }

    @Test
    void aClientHangingUpIsNoError() throws Exception {
        try (TlsTestServer server = start()) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port());
            SSLSocket tls = (SSLSocket) TlsFixtures.clientContext(null)
                    .getSocketFactory()
                    .createSocket(plain, "localhost", server.port(), false);
            tls.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
            assertThat(new RawClient(tls).exchange(REQUEST).status()).isEqualTo(200);
            int session =
                    events.await("HTTPS ON_CONNECTED", TlsFixtures.PATIENCE).sessionId();

            plain.close(); // no close_notify

            events.await("HTTPS DISCONNECTED", session, TlsFixtures.PATIENCE);
            assertThat(events.labels(session)).doesNotContain("HTTPS ERROR", "HTTP ERROR");
        }
    }

    private TlsTestServer start() throws IOException {
        return TlsTestServer.start(
                engine,
                b -> b.httpd(HttpServerConfig.builder().eventListener(events).build()));
    }

    /** Reads one Content-Length framed response, returning every byte of it. */
    private static byte[] readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed in the head: " + head);
            }
            head.append((char) c);
        }
        String lengthHeader = head.toString()
                .lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .findFirst()
                .orElseThrow();
        int length = Integer.parseInt(
                lengthHeader.substring(lengthHeader.indexOf(':') + 1).strip());
        byte[] body = in.readNBytes(length);
        byte[] all = new byte[head.length() + body.length];
        System.arraycopy(head.toString().getBytes(StandardCharsets.ISO_8859_1), 0, all, 0, head.length());
        System.arraycopy(body, 0, all, head.length(), body.length);
        return all;
    }

    @SafeVarargs
    private static String[] concat(List<String>... parts) {
        return Arrays.stream(parts).flatMap(List::stream).toArray(String[]::new);
    }
}
