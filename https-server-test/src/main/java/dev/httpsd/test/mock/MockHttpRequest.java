package dev.httpsd.test.mock;

import dev.httpsd.server.AsyncRequest;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpRules;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.RequestBodyStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request for unit-testing a {@link dev.httpsd.server.RequestHandler} without a socket, with
 * the server's semantics: headers case-insensitive and first-match, ESP's query and cookie
 * lookups, URI template variables decoded as the server decodes them, a body read through {@link
 * #recv} that returns 0 at its end, timeouts and early hang-ups where the builder puts them, the
 * raw head, and {@link #beginAsync()}.
 *
 * <pre>{@code
 * MockHttpRequest request = MockHttpRequest.post("/echo").body("hello").build();
 * MockHttpResponse response = MockHttpResponse.handle(handler, request);
 * assertThat(response.bodyAsString()).isEqualTo("hello");
 * }</pre>
 *
 * <p>Its {@link #response()} is the one response of the exchange: {@link MockHttpResponse#handle}
 * and {@link #beginAsync()} use it.
 */
public final class MockHttpRequest implements HttpRequest {

    private final HttpMethod method;
    private final String uri;
    private final String path;
    private final String rawQuery;
    private final String protocol;
    private final List<String[]> headers;
    private final long contentLength;
    private final MockRequestBody body;
    private final HttpSession session;
    private final Object userContext;
    private final Map<String, String> pathVariables;
    private final MockHttpResponse response;
    private final ReentrantLock lock = new ReentrantLock();
    private InputStream bodyStream;
    private MockAsyncRequest async;

    private MockHttpRequest(Builder builder) {
        this.method = builder.method;
        this.uri = builder.uri;
        int q = builder.uri.indexOf('?');
        this.path = q < 0 ? builder.uri : builder.uri.substring(0, q);
        this.rawQuery = q < 0 ? null : builder.uri.substring(q + 1);
        this.protocol = builder.protocol;
        this.headers = new ArrayList<>(builder.headers);
        this.contentLength = builder.contentLength();
        this.body = new MockRequestBody(builder.segments, contentLength);
        this.session = builder.session == null ? new MockHttpSession() : builder.session;
        this.userContext = builder.userContext;
        this.pathVariables = builder.pathVariables(path);
        this.response = new MockHttpResponse(this, builder.maxRespHeaders);
    }

    /** A request builder; {@code uri} is the request target in origin form, e.g. {@code /hello?name=Ada}. */
    public static Builder request(HttpMethod method, String uri) {
        return new Builder(method, uri);
    }

    public static Builder get(String uri) {
        return request(HttpMethod.GET, uri);
    }

    public static Builder head(String uri) {
        return request(HttpMethod.HEAD, uri);
    }

    public static Builder post(String uri) {
        return request(HttpMethod.POST, uri);
    }

    public static Builder put(String uri) {
        return request(HttpMethod.PUT, uri);
    }

    public static Builder delete(String uri) {
        return request(HttpMethod.DELETE, uri);
    }

    /** The response of this exchange, for handlers called directly: {@code handler.handle(request, request.response())}. */
    public MockHttpResponse response() {
        return response;
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public Optional<String> header(String name) {
        Objects.requireNonNull(name, "name");
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                return Optional.of(header[1]);
            }
        }
        return Optional.empty();
    }

    @Override
    public List<String> headers(String name) {
        Objects.requireNonNull(name, "name");
        List<String> values = new ArrayList<>(2);
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                values.add(header[1]);
            }
        }
        return values;
    }

    @Override
    public List<String> headerNames() {
        return headers.stream().map(header -> header[0]).toList();
    }

    @Override
    public Optional<String> queryValue(String key) {
        return HttpRequest.queryKeyValue(rawQuery, Objects.requireNonNull(key, "key"));
    }

    @Override
    public Optional<String> decodedQueryValue(String key) {
        return queryValue(key).map(HttpRules::decodeQueryValue);
    }

    @Override
    public Optional<String> cookie(String name) {
        return HttpRules.cookie(header("Cookie").orElse(null), name);
    }

    @Override
    public Optional<String> pathVariable(String name) {
        return Optional.ofNullable(pathVariables.get(Objects.requireNonNull(name, "name")));
    }

    @Override
    public Map<String, String> pathVariables() {
        return pathVariables;
    }

    @Override
    public int recv(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        return body.read(buffer, offset, length);
    }

    @Override
    public InputStream body() {
        lock.lock();
        try {
            if (bodyStream == null) {
                bodyStream = new RequestBodyStream(this);
            }
            return bodyStream;
        } finally {
            lock.unlock();
        }
    }

    /** How many body bytes the handler has read. */
    public long bodyBytesRead() {
        return body.bytesRead();
    }

    /** Whether the handler read the whole body (a {@link #recv} returned 0 at its end). */
    public boolean bodyFullyRead() {
        return body.complete();
    }

    @Override
    public byte[] rawHead() {
        StringBuilder head = new StringBuilder();
        head.append(method.token())
                .append(' ')
                .append(uri)
                .append(' ')
                .append(protocol)
                .append("\r\n");
        for (String[] header : headers) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public HttpSession session() {
        return session;
    }

    @Override
    public Object userContext() {
        return userContext;
    }

    @Override
    public AsyncRequest beginAsync() {
        lock.lock();
        try {
            if (async == null) {
                async = new MockAsyncRequest(this, response);
                response.detached();
            }
            return async;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the handler detached this request with {@link #beginAsync()}. */
    public boolean isAsync() {
        lock.lock();
        try {
            return async != null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return method.token() + " " + uri;
    }

    /** The request's parts; {@link #build()} makes the request. Not thread-safe. */
    public static final class Builder {

        private final HttpMethod method;
        private final String uri;
        private String protocol = "HTTP/1.1";
        private final List<String[]> headers = new ArrayList<>();
        private final List<MockRequestBody.Segment> segments = new ArrayList<>();
        private boolean chunked;
        private Long declaredLength;
        private HttpSession session;
        private Object userContext;
        private String uriTemplate;
        private final Map<String, String> pathVariables = new LinkedHashMap<>();
        private int maxRespHeaders = 64;

        private Builder(HttpMethod method, String uri) {
            this.method = Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            if (method == HttpMethod.ANY) {
                throw new IllegalArgumentException("ANY matches handlers, no request has it");
            }
            if (!uri.startsWith("/") && !(uri.equals("*") && method == HttpMethod.OPTIONS)) {
                throw new IllegalArgumentException(
                        "the request target must be in origin form (/path?query), as handlers see it: " + uri);
            }
            for (int i = 0; i < uri.length(); i++) {
                char c = uri.charAt(i);
                if (c <= ' ' || c >= 0x7f) {
                    throw new IllegalArgumentException(
                            "a request target has no spaces, controls or non-ASCII characters (percent-encode them): "
                                    + uri);
                }
            }
            this.uri = uri;
        }

        /** {@code HTTP/1.1} (the default) or {@code HTTP/1.0}. */
        public Builder protocol(String protocol) {
            if (!protocol.equals("HTTP/1.1") && !protocol.equals("HTTP/1.0")) {
                throw new IllegalArgumentException("HTTP/1.1 or HTTP/1.0: " + protocol);
            }
            this.protocol = protocol;
            return this;
        }

        /** Adds a header field; repeated names are kept in order, as received. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
                throw new IllegalArgumentException(
                        name + " follows from the body: use body(...), chunked() or contentLength(...)");
            }
            headers.add(new String[] {name, value});
            return this;
        }

        /** Adds a cookie to the request's {@code Cookie} header. */
        public Builder cookie(String name, String value) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase("Cookie")) {
                    header[1] = header[1] + "; " + name + "=" + value;
                    return this;
                }
            }
            return header("Cookie", name + "=" + value);
        }

        /** Appends body bytes; several calls arrive as separate reads, as separate packets would. */
        public Builder body(byte[] bytes) {
            segments.add(MockRequestBody.Segment.data(bytes.clone()));
            return this;
        }

        /** Appends UTF-8 body text. */
        public Builder body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The next read waits past the receive timeout: {@link #recv} throws {@link
         * SocketTimeoutException} once, and a retry goes on with the body, as with a client that
         * stalls.
         */
        public Builder stall() {
            segments.add(MockRequestBody.Segment.STALL);
            return this;
        }

        /**
         * The client hangs up here: the reads after the body so far throw {@link EOFException},
         * as when the connection closes before the announced body is complete.
         */
        public Builder hangUp() {
            segments.add(MockRequestBody.Segment.HANG_UP);
            return this;
        }

        /**
         * Sends the body with {@code Transfer-Encoding: chunked}: {@link #contentLength()} is -1, and
         * each {@link #body} call is one chunk.
         */
        public Builder chunked() {
            this.chunked = true;
            return this;
        }

        /**
         * The announced {@code Content-Length} when it differs from the body given, e.g. more than
         * arrives before a {@link #hangUp()}.
         */
        public Builder contentLength(long contentLength) {
            if (contentLength < 0) {
                throw new IllegalArgumentException("contentLength must not be negative: " + contentLength);
            }
            this.declaredLength = contentLength;
            return this;
        }

        /** The session the request arrives on; a new {@link MockHttpSession} by default. */
        public Builder session(HttpSession session) {
            this.session = Objects.requireNonNull(session, "session");
            return this;
        }

        /** The handler's {@code userContext} ({@code req->user_ctx}). */
        public Builder userContext(Object userContext) {
            this.userContext = userContext;
            return this;
        }

        /**
         * The URI template of the handler under test, e.g. {@code /items/{id}}: its variables are
         * taken from the request's path as the server takes them ({@link HttpRules#pathVariables}),
         * and {@link #build()} fails when the template does not match the path.
         */
        public Builder uriTemplate(String template) {
            this.uriTemplate = Objects.requireNonNull(template, "template");
            return this;
        }

        /**
         * A URI template variable's value as the handler reads it (decoded), without a template:
         * variables are kept in the order given. Use {@link #uriTemplate} instead to have the path
         * decide, as on the server.
         */
        public Builder pathVariable(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (pathVariables.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("the path variable " + name + " is given twice");
            }
            return this;
        }

        /** The response's {@code maxRespHeaders}; 64 (httpsd's default) unless set. */
        public Builder maxRespHeaders(int maxRespHeaders) {
            if (maxRespHeaders < 0) {
                throw new IllegalArgumentException("maxRespHeaders must not be negative");
            }
            this.maxRespHeaders = maxRespHeaders;
            return this;
        }

        public MockHttpRequest build() {
            if (chunked && declaredLength != null) {
                throw new IllegalArgumentException("a chunked body has no Content-Length");
            }
            List<String[]> all = new ArrayList<>(headers);
            if (protocol.equals("HTTP/1.1") && all.stream().noneMatch(h -> h[0].equalsIgnoreCase("Host"))) {
                // HTTP/1.1 requests carry Host; the server answers 400 without one
                all.addFirst(new String[] {"Host", "localhost"});
            }
            long length = contentLength();
            if (chunked) {
                all.add(new String[] {"Transfer-Encoding", "chunked"});
            } else if (length > 0 || (declaredLength != null)) {
                all.add(new String[] {"Content-Length", Long.toString(length)});
            }
            headers.clear();
            headers.addAll(all);
            return new MockHttpRequest(this);
        }

        private Map<String, String> pathVariables(String path) {
            if (uriTemplate == null) {
                return Collections.unmodifiableMap(new LinkedHashMap<>(pathVariables));
            }
            if (!pathVariables.isEmpty()) {
                throw new IllegalArgumentException(
                        "path variables come from either uriTemplate(...) or pathVariable(...), not both");
            }
            return HttpRules.pathVariables(uriTemplate, path)
                    .orElseThrow(() -> new IllegalArgumentException("the URI template " + uriTemplate
                            + " does not match the request path " + path
                            + ": the server would not give this request to its handler"));
        }

        private long contentLength() {
            if (chunked) {
                return -1;
            }
            return declaredLength != null ? declaredLength : MockRequestBody.dataLength(segments);
        }
    }
}
