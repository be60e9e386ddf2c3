package dev.httpsd.server;

import dev.httpsd.server.proxy.EffectiveOrigin;
import dev.httpsd.server.proxy.ForwardedHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The request side of ESP's {@code httpd_req_t}: method, URI, headers, query, cookies and body.
 * Valid until the response is complete; after {@link #beginAsync()} it may be used from any
 * thread.
 */
public interface HttpRequest {

    /** The request method; {@code null} only in error handlers for unparsable requests. */
    HttpMethod method();

    /** The request target as received, path and query ({@code req->uri}). */
    String uri();

    /** The path component of the target (no query), not percent-decoded; what handlers match. */
    String path();

    /** The raw query string after {@code ?} ({@code httpd_req_get_url_query_str}), or {@code null}. */
    String rawQuery();

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    String protocol();

    /**
     * The Content-Length ({@code req->content_len}): 0 when the request has no body, -1 when the
     * body is chunked (its length is known only once read).
     */
    long contentLength();

    /** The first header with this name, case-insensitive ({@code httpd_req_get_hdr_value_str}). */
    Optional<String> header(String name);

    /** Every value of the headers with this name, in order. */
    List<String> headers(String name);

    /** The names of all received headers, in order, as sent. */
    List<String> headerNames();

    /**
     * The raw value of a query key ({@code httpd_query_key_value} on the request's query): keys
     * compare case-insensitively, the value is not decoded.
     */
    default Optional<String> queryValue(String key) {
        return QueryStrings.valueOf(rawQuery(), Objects.requireNonNull(key, "key"));
    }

    /** Like {@link #queryValue} but percent- and {@code +}-decoded as UTF-8. */
    default Optional<String> decodedQueryValue(String key) {
        return queryValue(key).map(QueryStrings::decode);
    }

    /**
     * A cookie's value from the (first) {@code Cookie} header ({@code httpd_req_get_cookie_val}):
     * pairs separated by {@code ;}, the name compared case-insensitively, quotes removed.
     */
    default Optional<String> cookie(String name) {
        return QueryStrings.cookie(header("Cookie").orElse(null), Objects.requireNonNull(name, "name"));
    }

    /**
     * The value of a variable of the matched handler's {@linkplain UriMatcher#template URI
     * template} in this request's path: {@code id} is {@code 42} for {@code /items/{id}} and
     * {@code /items/42}. Percent-decoded as UTF-8; a rest variable ({@code {*path}}) keeps the
     * leading {@code /} of what it took. Empty when the handler's URI has no such variable, as
     * always with exact or wildcard matching. Not in ESP.
     */
    default Optional<String> pathVariable(String name) {
        return Optional.empty();
    }

    /** Every variable of the matched handler's URI template, in template order; see {@link #pathVariable}. */
    default Map<String, String> pathVariables() {
        return Map.of();
    }

    /**
     * Reads body bytes ({@code httpd_req_recv}): blocks for at most the receive timeout.
     *
     * @return bytes read (at least 1 when {@code length > 0}), or 0 when the whole body has been
     *     read (ESP semantics)
     * @throws java.net.SocketTimeoutException when nothing arrived within the receive timeout; the
     *     read may be retried. A handler that lets it propagate before sending gets the client a
     *     {@code 408} and the session closed, as ESP's examples answer {@code HTTPD_SOCK_ERR_TIMEOUT}
     * @throws java.io.EOFException when the client closed the connection before the body was
     *     complete
     * @throws IOException when the body is malformed (chunked framing) or over the size limit
     */
    int recv(byte[] buffer, int offset, int length) throws IOException;

    /** The body as a stream (returns -1 at its end); reads go through {@link #recv}. */
    InputStream body();

    /**
     * The request line and header block exactly as received, up to and including the empty line
     * ({@code httpd_get_raw_req_data}).
     */
    byte[] rawHead();

    /** The session the request arrived on. */
    HttpSession session();

    /** The {@code userContext} of the matched handler ({@code req->user_ctx}). */
    Object userContext();

    /**
     * Detaches the request from the handler ({@code httpd_req_async_handler_begin}): the handler
     * may return and another thread finishes the response, then calls {@link
     * AsyncRequest#complete()}. The session reads no further request until then and is never
     * chosen for LRU purge.
     */
    AsyncRequest beginAsync();

    /**
     * Where the request really came from and which URL the client used: the scheme, host and port
     * of that URL and the client's address. Without forwarded headers configured ({@link
     * HttpServerConfig#forwardedHeaders()}), or from a peer that is not a trusted proxy, they are
     * the connection's own: the server's {@link HttpServerConfig#scheme() scheme}, the {@code
     * Host} header (or the local port without one) and the session's remote address. From a
     * trusted proxy, what its {@code Forwarded} or {@code X-Forwarded-*} headers report. Computed
     * from the request head on each call. Not in ESP.
     */
    default EffectiveOrigin origin() {
        HttpSession session = session();
        HttpServerConfig config = session.server().config();
        EffectiveOrigin direct = EffectiveOrigin.direct(
                "https".equals(config.scheme()),
                header("Host").orElse(null),
                session.localAddress().getPort(),
                session.remoteAddress());
        ForwardedHeaders forwarded = config.forwardedHeaders();
        return forwarded == null ? direct : forwarded.resolve(direct, this::headers);
    }

    /** The scheme the client used, {@code http} or {@code https}: {@link #origin()}'s. Not in ESP. */
    default String scheme() {
        return origin().scheme();
    }

    /**
     * The host the client asked for ({@code example.com}, {@code [2001:db8::1]}), without the port:
     * {@link #origin()}'s; {@code null} when neither the request nor a trusted proxy named one
     * (HTTP/1.0 without {@code Host}). Not in ESP.
     */
    default String host() {
        return origin().host();
    }

    /** The port of the URL the client used: {@link #origin()}'s. Not in ESP. */
    default int port() {
        return origin().port();
    }

    /**
     * The client's address: the session's remote address, or the one a trusted proxy reported
     * ({@link #origin()}'s; its port is 0 when the proxy gave none). Not in ESP.
     */
    default InetSocketAddress clientAddress() {
        return origin().client();
    }

    /**
     * The state a {@link RequestObserver} keeps for this request ({@link
     * RequestObserver#requestStarted}), by type: for example the Micrometer observation context
     * the Spring Boot starter keeps, which an async handler uses to carry the request's tracing
     * context to the thread that finishes it. Empty when no observer keeps such a state. Not in
     * ESP.
     */
    default <T> Optional<T> observation(Class<T> type) {
        return Optional.empty();
    }

    /**
     * Parses ESP-style {@code key=value&...} query text ({@code httpd_query_key_value}): the key
     * compares case-insensitively, the value runs to the next {@code &} and is not decoded. A
     * {@code null} query (a request without one) has no key.
     */
    static Optional<String> queryKeyValue(String query, String key) {
        return QueryStrings.valueOf(query, Objects.requireNonNull(key, "key"));
    }
}
