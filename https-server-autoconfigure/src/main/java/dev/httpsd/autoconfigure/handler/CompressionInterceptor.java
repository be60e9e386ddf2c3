package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import org.springframework.core.Ordered;

/** Turns on {@link Compression} for every handler's response ({@code https-server.compression.enabled}). */
final class CompressionInterceptor implements RequestInterceptor, Ordered {

    private final Compression compression;

    CompressionInterceptor(Compression compression) {
        this.compression = compression;
    }

    @Override
    public boolean before(HttpRequest request, HttpResponse response, HandlerInvocation invocation) {
        if (response instanceof HandlerResponse handlerResponse) {
            handlerResponse.compress(compression);
        }
        return true;
    }

    @Override
    public int getOrder() {
        return COMPRESSION_ORDER;
    }
}
