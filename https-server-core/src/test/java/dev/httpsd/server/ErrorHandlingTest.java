package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Handler failures, custom error handlers and client hang-ups. */
class ErrorHandlingTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final LogCapture log = new LogCapture();
    private final EventRecorder events = new EventRecorder();

    @AfterEach
    void releaseLog() {
        log.close();
    }

    private HttpServer start() throws Exception {
        HttpServer server = fixture.start(b -> b.eventListener(events));
        fixture.handle("/", HttpMethod.GET, (req, resp) -> resp.send("fine"));
        fixture.handle("/throw", HttpMethod.GET, (req, resp) -> {
            throw new IllegalStateException("handler bug");
        });
        return server;
    }

    @Test
    void aHandlerThatThrowsGets500AndItsSessionIsClosed() throws Exception {
        start();
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 500 Internal Server Error");
        assertThat(response.bodyText()).isEqualTo("Server has encountered an unexpected error");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
        assertThat(log.aboveDebug()).anyMatch(line -> line.startsWith("WARNING") && line.contains("handler bug"));
    }

    @Test
    void aThrowAfterTheResponseStartedJustCloses() throws Exception {
        start();
        fixture.handle("/half", HttpMethod.GET, (req, resp) -> {
            resp.sendChunk("partial");
            throw new IllegalStateException("too late");
        });
        RawClient client = fixture.connect();

        client.send("GET /half HTTP/1.1\r\nHost: x\r\n\r\n");
        String raw = client.readToEnd();

        assertThat(raw)
                .startsWith("HTTP/1.1 200 OK")
                .contains("7\r\npartial\r\n")
                .doesNotContain("500");
        assertThat(raw)
                .as("no terminating chunk: the client sees a truncated body")
                .doesNotEndWith("0\r\n\r\n");
    }

    @Test
    void closeSessionClosesAfterTheResponseWithConnectionClose() throws Exception {
        start();
        fixture.handle("/bye", HttpMethod.GET, (req, resp) -> {
            resp.closeSession();
            resp.send("bye");
        });
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("GET /bye HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.bodyText()).isEqualTo("bye");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void aCustom404HandlerReturningTrueKeepsTheConnection() throws Exception {
        HttpServer server = start();
        server.registerErrorHandler(HttpError.NOT_FOUND_404, (req, resp, error) -> {
            resp.status(404).contentType("text/plain").send("no " + req.path() + " here");
            return true;
        });
        RawClient client = fixture.connect();

        RawClient.Response missing = client.exchange("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyText()).isEqualTo("no /missing here");
        assertThat(client.exchange(GET).bodyText()).isEqualTo("fine");
    }

    @Test
    void aCustom404HandlerReturningFalseClosesTheConnection() throws Exception {
        HttpServer server = start();
        server.registerErrorHandler(HttpError.NOT_FOUND_404, (req, resp, error) -> {
            resp.sendError(error, "gone for good");
            return false;
        });
        RawClient client = fixture.connect();

        assertThat(client.exchange("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                .isEqualTo("gone for good");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void aCustom500HandlerCannotKeepTheConnection() throws Exception {
        HttpServer server = start();
        server.registerErrorHandler(HttpError.INTERNAL_SERVER_ERROR_500, (req, resp, error) -> {
            resp.status(500).send("custom 500 for " + req.path());
            return true;
        });
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.bodyText()).isEqualTo("custom 500 for /throw");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void aCustomHandlerForAParseErrorSeesAnUnparsedRequestAndTheConnectionCloses() throws Exception {
        HttpServer server = start();
        List<Object> seen = new CopyOnWriteArrayList<>();
        server.registerErrorHandler(HttpError.BAD_REQUEST_400, (req, resp, error) -> {
            seen.add(String.valueOf(req.method()));
            seen.add(String.valueOf(req.uri()));
            resp.sendError(error, "custom bad");
            return true;
        });
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("GET / HTTP/1.1\r\nHost : x\r\n\r\n");

        assertThat(response.bodyText()).isEqualTo("custom bad");
        assertThat(seen).containsExactly("null", "null");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void anErrorHandlerThatThrowsClosesTheSessionAndUnsettingRestoresTheDefault() throws Exception {
        HttpServer server = start();
        server.registerErrorHandler(HttpError.NOT_FOUND_404, (req, resp, error) -> {
            throw new IllegalStateException("error handler bug");
        });
        RawClient first = fixture.connect();
        first.send("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(first.readToEnd())
                .as("nothing is sent, the connection closes")
                .isEmpty();

        server.registerErrorHandler(HttpError.NOT_FOUND_404, null);

        assertThat(fixture.connect()
                        .exchange("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodyText())
                .isEqualTo("Nothing matches the given URI");
    }

    @Test
    void aClientHangingUpMidResponseIsNotLoggedAboveDebugAndOthersAreUnaffected() throws Exception {
        HttpServer server = start();
        fixture.handle("/big", HttpMethod.GET, (req, resp) -> {
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = resp.outputStream()) {
                for (int i = 0; i < 4096; i++) {
                    out.write(block);
                }
            }
        });
        RawClient bystander = fixture.connect();
        assertThat(bystander.exchange(GET).bodyText()).isEqualTo("fine");
        RawClient leaving = fixture.connect();
        leaving.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
        int leavingId = events.sessionFromPort(leaving.localPort());
        events.awaitEvent(HttpServerEvent.Id.HEADERS_SENT, leavingId);

        leaving.socket().setSoLinger(true, 0); // close with a reset, as a killed browser tab does
        leaving.close();

        events.awaitEvent(HttpServerEvent.Id.DISCONNECTED, leavingId);
        assertThat(bystander.exchange(GET).bodyText()).isEqualTo("fine");
        Await.until("only the bystander is left", () -> server.clientList().size() == 1);
        assertThat(log.aboveDebug()).isEmpty();
        assertThat(log.debugMentions("session " + leavingId))
                .as("the hang-up is logged at DEBUG")
                .isTrue();
    }

    @Test
    void aClientHangingUpMidBodyIsNotLoggedAboveDebug() throws Exception {
        start();
        fixture.handle(
                "/upload",
                HttpMethod.POST,
                (req, resp) -> resp.send("read " + req.body().readAllBytes().length));
        RawClient leaving = fixture.connect();
        leaving.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly ten b");
        int leavingId = events.sessionFromPort(leaving.localPort());
        events.awaitEvent(HttpServerEvent.Id.ON_DATA, leavingId);

        leaving.close();

        events.awaitEvent(HttpServerEvent.Id.DISCONNECTED, leavingId);
        assertThat(log.aboveDebug()).isEmpty();
        assertThat(log.debugMentions("session " + leavingId))
                .as("the hang-up is logged at DEBUG")
                .isTrue();
        assertThat(fixture.connect().exchange(GET).bodyText()).isEqualTo("fine");
    }

    @Test
    void aClientResettingAnIdleConnectionIsNotLoggedAboveDebug() throws Exception {
        start();
        RawClient leaving = fixture.connect();
        assertThat(leaving.exchange(GET).bodyText()).isEqualTo("fine");
        int leavingId = events.sessionFromPort(leaving.localPort());

        leaving.socket().setSoLinger(true, 0);
        leaving.close();

        events.awaitEvent(HttpServerEvent.Id.DISCONNECTED, leavingId);
        assertThat(log.aboveDebug()).isEmpty();
        assertThat(log.debugMentions("session " + leavingId))
                .as("the hang-up is logged at DEBUG")
                .isTrue();
    }
}
