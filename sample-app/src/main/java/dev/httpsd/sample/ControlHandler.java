package dev.httpsd.sample;

import dev.httpsd.autoconfigure.HttpsServerCustomizer;
import dev.httpsd.autoconfigure.UriHandlerBean;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code PUT /ctrl} with body {@code 0} unregisters {@code /hello} and {@code /echo}, {@code 1}
 * registers them again; meanwhile a custom 404 handler explains, keeping the connection for
 * {@code /hello} and closing it for {@code /echo} (ESP's http_server/simple example).
 */
@UriHandlerBean(uri = "/ctrl", method = HttpMethod.PUT)
class ControlHandler implements RequestHandler, HttpsServerCustomizer {

    private static final List<String> CONTROLLED = List.of("/hello", "/echo");

    private final List<UriHandler> parked = new ArrayList<>();

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        byte[] body = request.body().readNBytes(16);
        String command = new String(body, StandardCharsets.US_ASCII).strip();
        HttpServer server = request.session().server();
        synchronized (parked) {
            switch (command) {
                case "0" -> {
                    for (UriHandler handler : server.uriHandlers()) {
                        if (CONTROLLED.contains(handler.uri())) {
                            parked.add(handler);
                        }
                    }
                    CONTROLLED.forEach(server::unregisterUri);
                }
                case "1" -> {
                    for (UriHandler handler : parked) {
                        server.registerUriHandler(handler);
                    }
                    parked.clear();
                }
                default -> {
                    response.sendError(
                            HttpError.BAD_REQUEST_400, "Send 0 to unregister /hello and /echo, 1 to restore them");
                    return;
                }
            }
        }
        response.contentType("text/plain")
                .send(command.equals("0") ? "/hello and /echo unregistered\n" : "/hello and /echo registered\n");
    }

    @Override
    public void configure(HttpServer server) {
        server.registerErrorHandler(HttpError.NOT_FOUND_404, (request, response, error) -> {
            if ("/hello".equals(request.path())) {
                response.sendError(error, "/hello URI is not available");
                return true; // keep the connection
            }
            if ("/echo".equals(request.path())) {
                response.sendError(error, "/echo URI is not available");
                return false; // close the connection
            }
            response.sendError(error, null);
            return true;
        });
    }
}
