package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Custom error handlers ({@code httpd_register_err_handler}) that send nothing: the error's default
 * response goes out after them, never the empty {@code 200} of an unanswered request; and a
 * custom 408 handler that keeps the session without answering makes the server keep waiting for
 * the request head, as ESP retries the read.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(WsTransport.class)
class CustomErrorHandlerTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final WsTransport transport;
    private final BlockingQueue<HttpError> handled = new LinkedBlockingQueue<>();

    CustomErrorHandlerTest(WsTransport transport) {
        this.transport = transport;
    }

    private HttpServer start() throws Exception {
        return start(Duration.ofSeconds(20));
    }

    private HttpServer start(Duration recvWaitTimeout) throws Exception {
        HttpServer server = transport.start(fixture, b -> b.recvWaitTimeout(recvWaitTimeout));
        server.registerUriHandler(UriHandler.of("/", HttpMethod.GET, (req, resp) -> resp.send("fine")));
        server.registerUriHandler(UriHandler.of("/throw", HttpMethod.GET, (req, resp) -> {
            throw new IllegalStateException("handler bug");
        }));
        server.registerUriHandler(UriHandler.of("/upload", HttpMethod.POST, (req, resp) -> {
            req.body().readAllBytes();
            resp.send("read");
        }));
        return server;
    }

    /** A handler that only records the error, sends nothing and answers {@code keep}. */
    private ErrorHandler silent(boolean keep) {
        return (req, resp, error) -> {
            handled.add(error);
            return keep;
        };
    }

    private HttpError awaitHandled() throws InterruptedException {
        HttpError error = handled.poll(20, TimeUnit.SECONDS);
        assertThat(error).as("the custom error handler ran").isNotNull();
        return error;
    }

    @Test
    void aSilent404HandlerKeepingTheSessionGetsTheDefault404AndTheConnectionStays() throws Exception {
        HttpServer server = start();
        server.registerErrorHandler(HttpError.NOT_FOUND_404, silent(true));
        RawClient client = transport.raw(fixture, server);

        RawClient.Response response = client.exchange("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(awaitHandled()).isEqualTo(HttpError.NOT_FOUND_404);
        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(response.header("Content-Type")).isEqualTo("text/html");
        assertThat(response.bodyText()).isEqualTo("Nothing matches the given URI");
        assertThat(response.header("Connection")).isNull();
        assertThat(client.exchange(GET).bodyText()).isEqualTo("fine");
    }

    @Test
    void aSilent405HandlerClosingTheSessionGetsTheDefault405WithAllowAndAClose() throws Exception {
        HttpServer server = start();
        server.registerErrorHandler(HttpError.METHOD_NOT_ALLOWED_405, silent(false));
        RawClient client = transport.raw(fixture, server);

        RawClient.Response response = client.exchange("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 405 Method Not Allowed");
        assertThat(response.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(response.bodyText()).isEqualTo("Specified method is invalid for this resource");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void aSilent431HandlerGetsTheDefault431AndTheSessionClosesWhateverItAnswers() throws Exception {
        HttpServer server = transport.start(fixture, b -> b.maxReqHdrLen(64));
        server.registerErrorHandler(HttpError.REQUEST_HEADER_FIELDS_TOO_LARGE_431, silent(true));
        RawClient client = transport.raw(fixture, server);

        RawClient.Response response =
                client.exchange("GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(100) + "\r\n\r\n");

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
        assertThat(response.bodyText()).isEqualTo("Header fields are too long");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void aSilent500HandlerGetsTheDefault500AndTheSessionCloses() throws Exception {
        HttpServer server = start();
        server.registerErrorHandler(HttpError.INTERNAL_SERVER_ERROR_500, silent(true));
        RawClient client = transport.raw(fixture, server);

        RawClient.Response response = client.exchange("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 500 Internal Server Error");
        assertThat(response.bodyText()).isEqualTo("Server has encountered an unexpected error");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void aSilent408HandlerKeepingTheSessionLetsTheServerWaitForTheRestOfTheHead() throws Exception {
        HttpServer server = start(ServerFixture.shortTimeout());
        server.registerErrorHandler(HttpError.REQUEST_TIMEOUT_408, silent(true));
        RawClient client = transport.raw(fixture, server);

        client.send("GET / HTTP/1.1\r\nHo");
        assertThat(awaitHandled()).isEqualTo(HttpError.REQUEST_TIMEOUT_408);
        assertThat(awaitHandled())
                .as("the timeout starts over, and the handler keeps the session again")
                .isEqualTo(HttpError.REQUEST_TIMEOUT_408);
        RawClient.Response response = client.exchange("st: x\r\n\r\n");

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(response.bodyText()).isEqualTo("fine");
        assertThat(client.exchange(GET).bodyText())
                .as("the session serves its next request")
                .isEqualTo("fine");
    }

    @Test
    void aSilent408HandlerClosingTheSessionGetsTheDefault408() throws Exception {
        HttpServer server = start(ServerFixture.shortTimeout());
        server.registerErrorHandler(HttpError.REQUEST_TIMEOUT_408, silent(false));
        RawClient client = transport.raw(fixture, server);

        client.send("GET / HTTP/1.1\r\nHo");
        RawClient.Response response = client.read();

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
        assertThat(response.bodyText()).isEqualTo("Server closed this connection");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void a408HandlerThatAnswersEndsTheSessionBecauseTheHeadWasCutShort() throws Exception {
        HttpServer server = start(ServerFixture.shortTimeout());
        server.registerErrorHandler(HttpError.REQUEST_TIMEOUT_408, (req, resp, error) -> {
            resp.sendError(error, "too slow");
            return true;
        });
        RawClient client = transport.raw(fixture, server);

        client.send("GET / HTTP/1.1\r\nHo");
        RawClient.Response response = client.read();

        assertThat(response.bodyText()).isEqualTo("too slow");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void aSilent408HandlerCannotKeepASessionWhoseBodyStalledBecauseItsFramingIsLost() throws Exception {
        HttpServer server = start(ServerFixture.shortTimeout());
        server.registerErrorHandler(HttpError.REQUEST_TIMEOUT_408, silent(true));
        RawClient client = transport.raw(fixture, server);

        client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b");
        RawClient.Response response = client.read();

        assertThat(awaitHandled()).isEqualTo(HttpError.REQUEST_TIMEOUT_408);
        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
        assertThat(response.bodyText()).isEqualTo("Server closed this connection");
        assertThat(client.closedByServer()).isTrue();
    }
}
