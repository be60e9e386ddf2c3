package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How ESP's return codes surface in Java: every {@link HttpServerException.Reason} is one the
 * server raises, where ESP returns that code; a {@code null} argument is a {@link
 * NullPointerException} (ESP's {@code ESP_ERR_INVALID_ARG}), except where {@code null} has a
 * documented meaning.
 */
class ApiArgumentsTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private static RequestHandler answer(String text) {
        return (req, resp) -> resp.send(text);
    }

    @Test
    void everyReasonIsOneTheServerRaisesWhereEspReturnsThatCode() throws Exception {
        HttpServer server = fixture.start(b -> b.maxUriHandlers(2).maxRespHeaders(1));
        Map<String, Object> raised = new ConcurrentHashMap<>();
        server.registerUriHandler(UriHandler.of("/headers", HttpMethod.GET, (req, resp) -> {
            resp.header("X-One", "1");
            try {
                resp.header("X-Two", "2");
            } catch (HttpServerException e) {
                raised.put("header", e.reason());
            }
            resp.send("ok");
        }));

        for (HttpServerException.Reason reason : HttpServerException.Reason.values()) {
            Runnable provoke = switch (reason) {
                case HANDLER_EXISTS ->
                    () -> server.registerUriHandler(UriHandler.of("/headers", HttpMethod.GET, answer("")));
                case HANDLERS_FULL ->
                    () -> {
                        server.registerUriHandler(UriHandler.of("/second", HttpMethod.GET, answer("")));
                        server.registerUriHandler(UriHandler.of("/third", HttpMethod.GET, answer("")));
                    };
                case RESP_HDR ->
                    () -> {
                        try {
                            fixture.connect().exchange("GET /headers HTTP/1.1\r\nHost: x\r\n\r\n");
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        throw (HttpServerException) new HttpServerException(
                                (HttpServerException.Reason) raised.get("header"), "seen in the handler");
                    };
            };
            assertThatThrownBy(provoke::run)
                    .as("%s (0x%x)", reason, reason.espCode())
                    .isInstanceOfSatisfying(
                            HttpServerException.class,
                            e -> assertThat(e.reason()).isEqualTo(reason));
        }
    }

    @Test
    void nullArgumentsThrowNullPointerExceptionWhereNullHasNoMeaning() throws Exception {
        HttpServer server = fixture.start();
        Map<String, Throwable> thrown = new LinkedHashMap<>();
        server.registerUriHandler(UriHandler.of("/nulls", HttpMethod.GET, (req, resp) -> {
            byte[] buffer = new byte[1];
            Map<String, ThrowingCall> calls = new LinkedHashMap<>();
            calls.put("request.header", () -> req.header(null));
            calls.put("request.headers", () -> req.headers(null));
            calls.put("request.queryValue", () -> req.queryValue(null));
            calls.put("request.decodedQueryValue", () -> req.decodedQueryValue(null));
            calls.put("request.cookie", () -> req.cookie(null));
            calls.put("request.recv", () -> req.recv(null, 0, 1));
            calls.put("HttpRequest.queryKeyValue", () -> HttpRequest.queryKeyValue("a=1", null));
            calls.put("response.status", () -> resp.status(null));
            calls.put("response.header(name)", () -> resp.header(null, "v"));
            calls.put("response.header(value)", () -> resp.header("X-A", null));
            calls.put("response.send(byte[])", () -> resp.send(null, 0, 0));
            calls.put("response.sendChunk(byte[])", () -> resp.sendChunk(null, 0, 0));
            calls.put("response.sendError", () -> resp.sendError(null, "m"));
            calls.put("response.handleError", () -> resp.handleError(null));
            calls.put("response.sendCustomError", () -> resp.sendCustomError(null, "m"));
            calls.put("response.sendRaw", () -> resp.sendRaw(null, 0, 0));
            calls.put("session.send", () -> req.session().send(null, 0, 0));
            calls.put("session.recv", () -> req.session().recv(null, 0, 0));
            calls.put("server.registerUriHandler", () -> server.registerUriHandler(null));
            calls.put("server.unregisterUriHandler(uri)", () -> server.unregisterUriHandler(null, HttpMethod.GET));
            calls.put("server.unregisterUriHandler(method)", () -> server.unregisterUriHandler("/nulls", null));
            calls.put("server.unregisterUri", () -> server.unregisterUri(null));
            calls.put("server.registerErrorHandler", () -> server.registerErrorHandler(null, null));
            calls.put("server.queueWork", () -> server.queueWork(null));
            calls.put("server.sendFrame", () -> server.sendFrame(req.session().id(), null));
            calls.put(
                    "server.sendFrameAsync",
                    () -> server.sendFrameAsync(req.session().id(), null));
            calls.put("server.addEventListener", () -> server.addEventListener(null));
            calls.put("server.removeEventListener", () -> server.removeEventListener(null));
            calls.forEach((name, call) -> {
                try {
                    call.run();
                    thrown.put(name, null);
                } catch (Throwable t) {
                    thrown.put(name, t);
                }
            });
            // where null means something, it is accepted
            req.session().setContext(null, null);
            resp.contentType(null).sendChunk((String) null);
        }));

        RawClient.Response response = fixture.connect().exchange("GET /nulls HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isNull();
        assertThat(thrown)
                .isNotEmpty()
                .allSatisfy((name, t) -> assertThat(t).as(name).isInstanceOf(NullPointerException.class));
        assertThat(server.uriHandlers()).hasSize(1);
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
