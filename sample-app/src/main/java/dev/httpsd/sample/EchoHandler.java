package dev.httpsd.sample;

import dev.httpsd.autoconfigure.UriHandlerBean;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import java.net.SocketTimeoutException;

/**
 * Echoes the request body byte for byte, streamed: each received piece goes out as a chunk, so
 * any size works with constant memory (ESP's simple example, with chunked bodies accepted too).
 */
@UriHandlerBean(uri = "/echo", method = HttpMethod.POST)
class EchoHandler implements RequestHandler {

    private static final int MAX_TIMEOUT_RETRIES = 3;

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        byte[] buffer = new byte[16 * 1024];
        response.contentType(request.header("Content-Type").orElse("application/octet-stream"));
        int timeouts = 0;
        while (true) {
            int n;
            try {
                n = request.recv(buffer, 0, buffer.length);
            } catch (SocketTimeoutException e) {
                if (++timeouts > MAX_TIMEOUT_RETRIES) {
                    throw e; // ESP's example retries on HTTPD_SOCK_ERR_TIMEOUT too
                }
                continue;
            }
            if (n == 0) {
                break;
            }
            response.sendChunk(buffer, 0, n);
        }
        response.sendChunk(buffer, 0, 0);
    }
}
