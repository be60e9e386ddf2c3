package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The response the interceptors and the handler write to: the server's own, plus what the handler
 * model needs to know about it (status, content type, content coding) and, once the compression
 * interceptor asked for it, gzip for whole bodies.
 */
final class HandlerResponse implements HttpResponse {

    private final HttpRequest request;
    private final HttpResponse delegate;
    private int status = 200;
    private String contentType;
    private boolean encoded;
    private Compression compression;

    HandlerResponse(HttpRequest request, HttpResponse delegate) {
        this.request = request;
        this.delegate = delegate;
    }

    /** Compress bodies sent whole from now on, as {@code compression} allows. */
    void compress(Compression compression) {
        this.compression = compression;
    }

    int statusCode() {
        return status;
    }

    /** The content type set so far (by the handler, a header or a default), or {@code null}. */
    String contentType() {
        return contentType;
    }

    /** Whether a {@code Content-Encoding} was set: the body is encoded already. */
    boolean encoded() {
        return encoded;
    }

    /** Sets the content type unless the handler set one. */
    void defaultContentType(String type) {
        if (contentType == null && !isCommitted()) {
            contentType(type);
        }
    }

    @Override
    public HttpResponse status(int code) {
        delegate.status(code);
        status = code;
        return this;
    }

    @Override
    public HttpResponse status(String statusLine) {
        delegate.status(statusLine);
        status = Integer.parseInt(statusLine, 0, 3, 10);
        return this;
    }

    @Override
    public HttpResponse contentType(String type) {
        delegate.contentType(type);
        contentType = type;
        return this;
    }

    @Override
    public HttpResponse header(String name, String value) {
        delegate.header(name, value);
        switch (name.toLowerCase(Locale.ROOT)) {
            case "content-type" -> contentType = value;
            case "content-encoding" -> encoded = true;
            default -> {
                // nothing the handler model looks at
            }
        }
        return this;
    }

    @Override
    public void send(byte[] body, int offset, int length) throws IOException {
        if (compression == null) {
            delegate.send(body, offset, length);
        } else {
            compression.send(request, this, delegate, body, offset, length);
        }
    }

    @Override
    public void send(String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        send(bytes, 0, bytes.length);
    }

    /** Sent as it is: a file is compressed ahead of time or not at all. */
    @Override
    public void sendFile(FileChannel file, long position, long length) throws IOException {
        delegate.sendFile(file, position, length);
    }

    @Override
    public void sendChunk(byte[] chunk, int offset, int length) throws IOException {
        delegate.sendChunk(chunk, offset, length);
    }

    @Override
    public void sendChunk(String chunk) throws IOException {
        delegate.sendChunk(chunk);
    }

    @Override
    public void sendError(HttpError error, String message) throws IOException {
        delegate.sendError(error, message);
    }

    @Override
    public boolean handleError(HttpError error) throws IOException {
        return delegate.handleError(error);
    }

    @Override
    public void sendCustomError(String statusLine, String message) throws IOException {
        delegate.sendCustomError(statusLine, message);
    }

    @Override
    public int sendRaw(byte[] buffer, int offset, int length) throws IOException {
        return delegate.sendRaw(buffer, offset, length);
    }

    @Override
    public OutputStream outputStream() {
        return delegate.outputStream();
    }

    @Override
    public void closeSession() {
        delegate.closeSession();
    }

    @Override
    public boolean isCommitted() {
        return delegate.isCommitted();
    }
}
