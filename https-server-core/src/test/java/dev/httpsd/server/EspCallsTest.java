package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ESP calls with a Java equivalent that had no test of their own: {@code httpd_req_handle_err}
 * ({@code response.handleError}), {@code httpd_get_raw_req_data} ({@code request.rawHead()}) and
 * {@code httpd_socket_recv} ({@code HttpSession.recv}), over plain and TLS sockets.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(WsTransport.class)
class EspCallsTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final WsTransport transport;
    private final List<Object> seen = new CopyOnWriteArrayList<>();

    EspCallsTest(WsTransport transport) {
        this.transport = transport;
    }

    private HttpServer start() throws Exception {
        return start(Duration.ofSeconds(20));
    }

    private HttpServer start(Duration recvWaitTimeout) throws Exception {
        HttpServer server = transport.start(fixture, b -> b.recvWaitTimeout(recvWaitTimeout));
        server.registerUriHandler(UriHandler.of("/", HttpMethod.GET, (req, resp) -> resp.send("fine")));
        server.registerUriHandler(UriHandler.of("/forbidden", HttpMethod.GET, (req, resp) -> {
            seen.add(resp.handleError(HttpError.FORBIDDEN_403));
        }));
        return server;
    }

    @Test
    void handleErrorWithoutACustomHandlerSendsTheDefaultAndClosesAsEspDoes() throws Exception {
        HttpServer server = start();
        RawClient client = transport.raw(fixture, server);

        RawClient.Response response = client.exchange("GET /forbidden HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 403 Forbidden");
        assertThat(response.bodyText()).isEqualTo("Request forbidden -- authorization will not help");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
        assertThat(seen).containsExactly(false);
    }

    @Test
    void handleErrorRunsTheCustomHandlerWhoseAnswerKeepsTheSession() throws Exception {
        HttpServer server = start();
        server.registerErrorHandler(HttpError.FORBIDDEN_403, (req, resp, error) -> {
            resp.status(error.statusLine()).contentType("text/plain").send("custom no for " + req.path());
            return true;
        });
        RawClient client = transport.raw(fixture, server);

        RawClient.Response response = client.exchange("GET /forbidden HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 403 Forbidden");
        assertThat(response.bodyText()).isEqualTo("custom no for /forbidden");
        assertThat(response.header("Connection")).isNull();
        assertThat(client.exchange(GET).bodyText()).isEqualTo("fine");
        assertThat(seen).containsExactly(true);
    }

    @Test
    void handleErrorWithACustomHandlerThatClosesOrFor500ClosesTheSession() throws Exception {
        HttpServer server = start();
        server.registerErrorHandler(HttpError.FORBIDDEN_403, (req, resp, error) -> {
            resp.sendError(error, "closing");
            return false;
        });
        server.registerErrorHandler(HttpError.INTERNAL_SERVER_ERROR_500, (req, resp, error) -> {
            resp.sendError(error, "kept? never");
            return true;
        });
        server.registerUriHandler(UriHandler.of(
                "/broken",
                HttpMethod.GET,
                (req, resp) -> seen.add(resp.handleError(HttpError.INTERNAL_SERVER_ERROR_500))));

        RawClient first = transport.raw(fixture, server);
        assertThat(first.exchange("GET /forbidden HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                .isEqualTo("closing");
        assertThat(first.closedByServer()).isTrue();
        RawClient second = transport.raw(fixture, server);
        RawClient.Response response = second.exchange("GET /broken HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response.bodyText()).isEqualTo("kept? never");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(second.closedByServer()).isTrue();
        assertThat(seen).containsExactly(false, false);
    }

    @Test
    void rawHeadIsTheRequestLineAndHeaderBlockExactlyAsReceived() throws Exception {
        HttpServer server = start();
        server.registerUriHandler(UriHandler.of("/raw", HttpMethod.POST, (req, resp) -> {
            byte[] raw = req.rawHead();
            raw[0] = 'X'; // a copy: the next call sees the head intact
            resp.send(req.rawHead());
        }));
        String head = "POST /raw?q=1 HTTP/1.1\r\nHost: x\r\nX-Spaced:   kept as sent  \r\nContent-Length: 4\r\n\r\n";
        RawClient client = transport.raw(fixture, server);

        // pipelined: the body and the next request must not leak into the head
        client.send(head + "body" + GET);
        RawClient.Response response = client.read();

        assertThat(response.body()).isEqualTo(head.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(client.read().bodyText()).isEqualTo("fine");
    }

    @Test
    void rawHeadOfAnUnparsableRequestIsEmpty() throws Exception {
        HttpServer server = start();
        server.registerErrorHandler(HttpError.BAD_REQUEST_400, (req, resp, error) -> {
            resp.sendError(error, "raw head of " + req.rawHead().length + " bytes");
            return false;
        });

        RawClient.Response response =
                transport.raw(fixture, server).exchange("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n");

        assertThat(response.bodyText()).isEqualTo("raw head of 0 bytes");
    }

    @Test
    void sessionRecvReadsRawBytesThroughTheTransportTimesOutAndEndsWithMinusOne() throws Exception {
        HttpServer server = start(ServerFixture.shortTimeout());
        server.registerUriHandler(UriHandler.of("/takeover", HttpMethod.GET, (req, resp) -> {
            // the handler takes the connection over: raw bytes both ways, bypassing HTTP
            byte[] ready = "READY\n".getBytes(StandardCharsets.US_ASCII);
            resp.sendRaw(ready, 0, ready.length);
            HttpSession session = req.session();
            byte[] buffer = new byte[3];
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            while (true) {
                int n;
                try {
                    n = session.recv(buffer, 0, buffer.length);
                } catch (SocketTimeoutException e) {
                    seen.add("timeout");
                    byte[] prompt = "MORE?\n".getBytes(StandardCharsets.US_ASCII);
                    session.send(prompt, 0, prompt.length);
                    continue;
                }
                if (n < 0) {
                    seen.add("end of stream after " + received.toString(StandardCharsets.US_ASCII));
                    return;
                }
                received.write(buffer, 0, n);
                session.send(buffer, 0, n);
            }
        }));
        RawClient client = transport.raw(fixture, server);
        InputStream in = client.socket().getInputStream();

        client.send("GET /takeover HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(new String(in.readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("READY\n");
        client.send("hello raw");
        assertThat(new String(in.readNBytes(9), StandardCharsets.US_ASCII)).isEqualTo("hello raw");
        assertThat(new String(in.readNBytes(6), StandardCharsets.US_ASCII))
                .as("the receive timeout, seen by the raw recv")
                .isEqualTo("MORE?\n");
        client.send("!");
        assertThat(new String(in.readNBytes(1), StandardCharsets.US_ASCII)).isEqualTo("!");
        if (client.socket() instanceof javax.net.ssl.SSLSocket) {
            client.socket().close(); // close_notify: the server's TLS recv ends its stream
        } else {
            client.socket().shutdownOutput();
        }

        Await.until(
                "the raw recv saw the end of the stream",
                () -> seen.stream().anyMatch(e -> e.toString().startsWith("end of stream")));
        assertThat(seen).contains("timeout").last().isEqualTo("end of stream after hello raw!");
    }
}
