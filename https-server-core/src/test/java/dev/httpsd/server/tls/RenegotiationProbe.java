package dev.httpsd.server.tls;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.RawClient;
import java.io.IOException;
import javax.net.ssl.SSLSocket;

/**
 * Run in a JVM of its own by {@link RenegotiationTest}, started with JSSE told to allow client
 * renegotiation: one TLS 1.2 request, a renegotiation, another request. Prints {@code
 * property=<value>}, then {@code ALLOWED}, or {@code REFUSED: } and the server's HTTPS ERROR.
 */
final class RenegotiationProbe {

    private static final String REQUEST = "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private RenegotiationProbe() {}

    public static void main(String[] args) throws Exception {
        EventRecorder events = new EventRecorder();
        try (TlsTestServer server = TlsTestServer.start(b ->
                        b.httpd(HttpServerConfig.builder().eventListener(events).build()));
                SSLSocket socket = TlsFixtures.connect(
                        TlsFixtures.clientContext(null), server.port(), TlsFixtures.protocols("TLSv1.2"));
                RawClient client = new RawClient(socket)) {
            System.out.println("property=" + System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation"));
            if (!client.exchange(REQUEST).bodyText().startsWith("protocol=TLSv1.2")) {
                throw new AssertionError("no TLS 1.2 session");
            }
            try {
                socket.startHandshake();
                client.exchange(REQUEST);
                System.out.println("ALLOWED");
            } catch (IOException e) {
                HttpsServerEvent.Error error = (HttpsServerEvent.Error)
                        events.await(event -> event instanceof HttpsServerEvent.Error, TlsFixtures.PATIENCE);
                System.out.println("REFUSED: " + error.error().message());
            }
        }
    }
}
