package dev.httpsd.server.websocket;

import dev.httpsd.server.AsyncRequest;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A request that answers everything from another one; subclasses change what differs. */
abstract class ForwardingRequest implements HttpRequest {

    private final HttpRequest delegate;

    ForwardingRequest(HttpRequest delegate) {
        this.delegate = delegate;
    }

    @Override
    public HttpMethod method() {
        return delegate.method();
    }

    @Override
    public String uri() {
        return delegate.uri();
    }

    @Override
    public String path() {
        return delegate.path();
    }

    @Override
    public String rawQuery() {
        return delegate.rawQuery();
    }

    @Override
    public String protocol() {
        return delegate.protocol();
    }

    @Override
    public long contentLength() {
        return delegate.contentLength();
    }

    @Override
    public Optional<String> header(String name) {
        return delegate.header(name);
    }

    @Override
    public List<String> headers(String name) {
        return delegate.headers(name);
    }

    @Override
    public List<String> headerNames() {
        return delegate.headerNames();
    }

    @Override
    public Optional<String> queryValue(String key) {
        return delegate.queryValue(key);
    }

    @Override
    public Optional<String> decodedQueryValue(String key) {
        return delegate.decodedQueryValue(key);
    }

    @Override
    public Optional<String> cookie(String name) {
        return delegate.cookie(name);
    }

    @Override
    public Optional<String> pathVariable(String name) {
        return delegate.pathVariable(name);
    }

    @Override
    public Map<String, String> pathVariables() {
        return delegate.pathVariables();
    }

    @Override
    public int recv(byte[] buffer, int offset, int length) throws IOException {
        return delegate.recv(buffer, offset, length);
    }

    @Override
    public InputStream body() {
        return delegate.body();
    }

    @Override
    public byte[] rawHead() {
        return delegate.rawHead();
    }

    @Override
    public HttpSession session() {
        return delegate.session();
    }

    @Override
    public Object userContext() {
        return delegate.userContext();
    }

    @Override
    public AsyncRequest beginAsync() {
        throw new UnsupportedOperationException("WebSocket frames cannot be detached; send from any thread instead");
    }

    @Override
    public <T> Optional<T> observation(Class<T> type) {
        return delegate.observation(type);
    }
}
