package dev.httpsd.test.mock;

import dev.httpsd.server.AsyncRequest;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link MockHttpRequest} detached by {@code beginAsync()}: {@link #complete()} finishes its response once. */
final class MockAsyncRequest implements AsyncRequest {

    private final MockHttpRequest request;
    private final MockHttpResponse response;
    private final AtomicBoolean completed = new AtomicBoolean();

    MockAsyncRequest(MockHttpRequest request, MockHttpResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public HttpResponse response() {
        return response;
    }

    @Override
    public void complete() {
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        try {
            response.finish();
        } catch (IOException | RuntimeException e) {
            // the server closes the session of a request whose completion failed
            response.closeSession();
        }
    }
}
