package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.SlowReader;
import dev.httpsd.server.SuiteRecord;
import dev.httpsd.server.TransportHook;
import dev.httpsd.server.UriHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Over TLS too, a client reading a large response slowly but steadily keeps its session: the
 * send timeout counts progress per piece written through the TLS send override, not per body.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class TlsSendProgressTest {

    /** The {@code send-and-certificates} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("send-and-certificates");

    @Parameter
    TlsEngine engine;

    /** {@code -Dhttpsd.long=true}: about 80 s of slow reading instead of 8. */
    private static final int BODY = (Boolean.getBoolean("httpsd.long") ? 1280 : 128) * 1024;

    private static final int READER_BYTES_PER_SECOND = 16 * 1024;

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);

    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @Test
    void aClientReadingSlowlyButSteadilyOverTlsGetsTheWholeLargeResponse() throws Exception {
        byte[] body = SlowReader.body(BODY);
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.httpd(h -> h.sendWaitTimeout(SEND_TIMEOUT)
                                .openHook(TransportHook.of((session, setup) ->
                                        setup.socket().setSendBufferSize(SlowReader.SOCKET_BUFFER)))));
                Socket plain = SlowReader.smallWindowSocket(server.port());
                SSLSocket socket = (SSLSocket) TlsFixtures.clientContext(null)
                        .getSocketFactory()
                        .createSocket(plain, "localhost", server.port(), true)) {
            server.https().httpServer().registerUriHandler(UriHandler.of("/body", HttpMethod.GET, (req, resp) -> {
                try {
                    resp.contentType("application/octet-stream").send(body);
                } catch (IOException e) {
                    failures.add(e);
                    throw e;
                }
            }));
            socket.startHandshake();
            InputStream in = socket.getInputStream();
            socket.getOutputStream()
                    .write("GET /body HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            String head = SlowReader.readHead(in);
            long started = System.nanoTime();
            byte[] received = SlowReader.readSlowly(in, BODY, READER_BYTES_PER_SECOND);
            long readMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: " + BODY + "\r\n");
            assertThat(received).isEqualTo(body);
            assertThat(failures).isEmpty();
            System.out.printf(
                    "RELIABILITY slow reader (TLS): body=%d B read at %d B/s in %d ms, send timeout %d ms,"
                            + " received %d B intact, send failures=%d%n",
                    BODY,
                    READER_BYTES_PER_SECOND,
                    readMillis,
                    SEND_TIMEOUT.toMillis(),
                    received.length,
                    failures.size());
            socket.getOutputStream()
                    .write("GET /tls HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            assertThat(SlowReader.readHead(in)).startsWith("HTTP/1.1 200 OK\r\n");
        }
        SlowReader.record(
                "tls steady " + engine,
                "TLS, " + engine + " engine, reading steadily (`TlsSendProgressTest`)",
                BODY,
                READER_BYTES_PER_SECOND,
                SEND_TIMEOUT,
                "received intact; no send failed; the connection then served the next request");
    }
}
