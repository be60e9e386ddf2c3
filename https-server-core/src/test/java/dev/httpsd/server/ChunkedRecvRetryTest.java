package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code recv} timing out inside a chunked body and retried, as ESP's examples retry {@code
 * httpd_req_recv} on {@code HTTPD_SOCK_ERR_TIMEOUT}: at every byte position of the body (size
 * lines, extensions, the CRLFs, chunk data, the last chunk and the trailers) the retried reads
 * deliver exactly the body, and the bytes after it are the next request, over real sockets, plain
 * and TLS ({@code http1.ChunkedBodyRetryTest} times out at each exact position in memory).
 */
class ChunkedRecvRetryTest {

    /** Two data chunks with extensions (one quoted), a one-byte chunk, the last chunk, trailers. */
    static final String BODY = "4;name=\"quoted \\\" value\"\r\nWiki\r\n"
            + "10 ; a = b\r\n0123456789abcdef\r\n"
            + "1\r\nZ\r\n"
            + "0;last\r\nTrailer-One: t1\r\nTrailer-Two: t2\r\n\r\n";

    static final String DECODED = "Wiki0123456789abcdefZ";

    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    /** The positions a client splits the body at: every byte of it. */
    static int[] everyPosition() {
        int[] positions = new int[BODY.length() - 1];
        Arrays.setAll(positions, i -> i + 1);
        return positions;
    }

    @org.junit.jupiter.params.ParameterizedClass(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(WsTransport.class)
    @org.junit.jupiter.api.Nested
    class OverRealSockets {

        private final WsTransport transport;
        private final BlockingQueue<String> timeouts = new LinkedBlockingQueue<>();

        OverRealSockets(WsTransport transport) {
            this.transport = transport;
        }

        @Test
        void aClientPausingAtEveryBytePositionIsServedTheWholeBodyByARetryingHandler() throws Exception {
            HttpServer server = transport.start(fixture, b -> b.recvWaitTimeout(Duration.ofMillis(100)));
            server.registerUriHandler(UriHandler.of("/echo", HttpMethod.POST, (req, resp) -> {
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                byte[] buffer = new byte[64];
                while (true) {
                    int n;
                    try {
                        n = req.recv(buffer, 0, buffer.length);
                    } catch (SocketTimeoutException e) {
                        timeouts.add("timeout"); // ESP's examples: retry on HTTPD_SOCK_ERR_TIMEOUT
                        continue;
                    }
                    if (n == 0) {
                        break;
                    }
                    received.write(buffer, 0, n);
                }
                resp.send(received.toByteArray());
            }));
            server.registerUriHandler(UriHandler.of("/next", HttpMethod.GET, (req, resp) -> resp.send("next")));
            RawClient client = transport.raw(fixture, server);
            String head = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

            for (int split : everyPosition()) {
                timeouts.clear();
                client.send(head + BODY.substring(0, split));
                assertThat(timeouts.poll(20, TimeUnit.SECONDS))
                        .as("the handler's recv timed out with %d body bytes sent", split)
                        .isNotNull();
                RawClient.Response response = client.exchange(BODY.substring(split));

                assertThat(response.bodyText())
                        .as("body split after byte %d", split)
                        .isEqualTo(DECODED);
                assertThat(client.exchange(NEXT).bodyText())
                        .as("the request after a body split after byte %d", split)
                        .isEqualTo("next");
            }
        }
    }
}
