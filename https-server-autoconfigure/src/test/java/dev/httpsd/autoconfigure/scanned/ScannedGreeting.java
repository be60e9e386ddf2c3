package dev.httpsd.autoconfigure.scanned;

import dev.httpsd.autoconfigure.UriHandlerBean;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import java.io.IOException;

/** Found by component scan only: {@link UriHandlerBean} is a {@code @Component}. */
@UriHandlerBean(
        uri = "/greeting",
        method = {HttpMethod.GET, HttpMethod.PUT},
        userContext = "scanned")
public class ScannedGreeting implements RequestHandler {

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws IOException {
        response.contentType("text/plain")
                .send(request.method() + " greeting from a " + request.userContext() + " handler");
    }
}
