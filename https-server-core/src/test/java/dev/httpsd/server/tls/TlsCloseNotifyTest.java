package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * However the server ends a TLS session after answering, it sends close_notify before closing
 * (RFC 8446 §6.1), so that a client can tell a complete close from a cut connection: after a
 * response with {@code Connection: close}, and after error answers that close with request bytes
 * possibly unread (400, 408). TLS 1.2 is used because its alerts keep their own record type on the
 * wire.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class TlsCloseNotifyTest {

    @Parameter
    TlsEngine engine;

    private static final int ALERT = 21;

    private static TlsTestServer server;

    @BeforeParameterizedClassInvocation
    static void start(TlsEngine engine) throws Exception {
        server = TlsTestServer.start(
                engine,
                b -> b.httpd(h ->
                        h.bindAddress(InetAddress.getLoopbackAddress()).headerReadTimeout(Duration.ofMillis(300))));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Connection: close|200|GET /tls HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n",
                "missing Host|400|GET /tls HTTP/1.1\\r\\n\\r\\n",
                "head never finished|408|GET /tls HTTP/1.1\\r\\nHost: x\\r\\n"
            })
    void theServerSendsCloseNotifyBeforeClosing(String situation, int status, String request) throws Exception {
        Recording raw = new Recording();
        raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        SSLSocket socket = (SSLSocket)
                TlsFixtures.clientContext(null).getSocketFactory().createSocket(raw, "localhost", server.port(), true);
        socket.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        try (RawClient client = new RawClient(socket)) {
            RawClient.Response response = client.exchange(request.replace("\\r\\n", "\r\n"));

            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
            assertThat(raw.recordTypes())
                    .as("the last record before the end of the stream is an alert (close_notify)")
                    .last()
                    .isEqualTo(ALERT);
        }
    }

    /** A socket that keeps every byte the server sent, for looking at the TLS records. */
    private static final class Recording extends Socket {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int c = super.read();
                        if (c >= 0) {
                            received.write(c);
                        }
                        return c;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            received.write(b, off, n);
                        }
                        return n;
                    }
                };
            }
            return in;
        }

        /** The content type of every whole TLS record received, in order. */
        List<Integer> recordTypes() {
            byte[] bytes = received.toByteArray();
            List<Integer> types = new ArrayList<>();
            int at = 0;
            while (at + 5 <= bytes.length) {
                int length = ((bytes[at + 3] & 0xff) << 8) | (bytes[at + 4] & 0xff);
                if (at + 5 + length > bytes.length) {
                    break;
                }
                types.add(bytes[at] & 0xff);
                at += 5 + length;
            }
            return types;
        }
    }
}
