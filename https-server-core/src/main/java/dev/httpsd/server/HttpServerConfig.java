package dev.httpsd.server;

import dev.httpsd.server.proxy.ForwardedHeaders;
import dev.httpsd.server.proxy.ProxyProtocol;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Immutable server configuration: an equivalent of every {@code httpd_config_t} field, plus the
 * limits a server on the internet needs. Build with {@link #builder()}; every default is set
 * there, and each component's javadoc gives ESP's default beside ours.
 *
 * <p>ESP fields with no JVM meaning: {@code task_priority}, {@code stack_size}, {@code core_id},
 * {@code task_caps} (sessions run on virtual threads) and {@code ctrl_port} (work is queued in
 * memory, no control socket).
 *
 * @param serverPort TCP port to listen on; 0 picks a free port (read it back with {@link
 *     HttpServer#port()}). ESP: 80. Ours: 8080.
 * @param bindAddress local address to bind; {@code null} binds every address. Not in ESP.
 * @param maxOpenSockets maximum concurrent sessions. ESP: 7. Ours: 10,000.
 * @param maxUriHandlers maximum registered URI handlers. ESP: 8. Ours: 1,024.
 * @param maxRespHeaders maximum extra headers per response. ESP: 8. Ours: 64.
 * @param backlogConn listen backlog. ESP: 5. Ours: 1,024.
 * @param lruPurgeEnable when every session slot is taken and a client connects, close the
 *     least-recently-used idle session that has served at least one request. ESP: false.
 * @param recvWaitTimeout how long a read of the request head or body may wait for data. ESP: 5 s.
 *     Ours: 20 s.
 * @param sendWaitTimeout how long a write may make no progress before the session is closed.
 *     Progress is counted in pieces: 64 KiB from 20 s, down to 4 KiB below 2.5 s, so a client
 *     still reading about 3 KiB/s keeps its session however long the body takes. ESP: 5 s. Ours:
 *     20 s.
 * @param maxReqHdrLen maximum bytes of the header block (request line excluded, as ESP; its final
 *     empty line counted only with {@code espIdfCompatible}); more is answered 431. ESP: 512.
 *     Ours: 8 KiB.
 * @param maxUriLen maximum request-target length (the whole request line with {@code
 *     espIdfCompatible}); more is answered 414. ESP: 512. Ours: 8 KiB.
 * @param enableSoLinger set SO_LINGER just before a session's socket is closed. ESP: false.
 * @param lingerTimeout the SO_LINGER timeout when enabled. ESP: 0 s.
 * @param keepAliveEnable TCP keep-alive probes on accepted sockets (not HTTP keep-alive). ESP:
 *     false.
 * @param keepAliveIdle TCP keep-alive idle time before the first probe. ESP: 5 s.
 * @param keepAliveInterval TCP keep-alive interval between probes. ESP: 5 s.
 * @param keepAliveCount TCP keep-alive probes before the connection is dropped. ESP: 3.
 * @param globalUserContext application data, readable with {@link HttpServer#globalUserContext()}
 *     and freed at stop. ESP: none.
 * @param globalUserContextFree frees the global user context at stop; {@code null} does nothing.
 * @param globalTransportContext transport (e.g. TLS) data shared by all sessions, freed at stop.
 * @param globalTransportContextFree frees the global transport context at stop.
 * @param openHook called when a session opens, before any read; see {@link OpenHook}.
 * @param closeHook called when a session closes; see {@link CloseHook}.
 * @param uriMatcher how URI templates match request paths; {@code null} means exact matching.
 * @param idleTimeout how long a kept-alive connection may wait for its next request. Not in ESP
 *     (no idle timeout there). Ours: 30 s.
 * @param headerReadTimeout the whole request head must arrive within this time once its first
 *     byte did (slow-header defence); 408 otherwise. Not in ESP. Ours: 20 s.
 * @param maxContentLength largest request body accepted, Content-Length or chunked; more is
 *     answered 413. Not in ESP. Ours: no limit ({@link Long#MAX_VALUE}); bodies are streamed to
 *     handlers, never buffered by the server.
 * @param maxHeaderCount maximum request header fields; more is answered 431. Not in ESP. Ours:
 *     100.
 * @param maxDrainLength a request body the handler left unread is read and discarded up to this
 *     many bytes so the connection can be kept; a longer remainder closes the connection. ESP
 *     drains without bound. Ours: 1 MiB.
 * @param tcpNoDelay disable Nagle's algorithm on sessions (avoids 40 ms delayed-ACK stalls).
 *     ESP: only around error responses. Ours: true.
 * @param maxWsFrameLength largest WebSocket frame payload accepted; a longer one closes the
 *     WebSocket with 1009. Not in ESP. Ours: 16 MiB.
 * @param maxWsMessageLength largest WebSocket message (all fragments) accepted; 1009 beyond. Not
 *     in ESP. Ours: 64 MiB.
 * @param requestObserver told about every request as it starts and completes (metrics, tracing,
 *     access logs); {@code null} for none. Not in ESP.
 * @param eventListeners listeners that receive every server event from START on.
 * @param espIdfCompatible behave as ESP-IDF does where a client can tell: {@code maxUriLen} caps
 *     the whole request line (method, target and version, as ESP's URI buffer holds them) and
 *     {@code maxReqHdrLen} counts the header section with its final empty line; the connection
 *     closes after every default error response (a default 404 or 405 included); and where ESP
 *     answers nothing it closes without an answer (a refused WebSocket handshake, plain HTTP on a
 *     TLS port). Set by {@link #espIdfDefaults()}. Ours: false.
 * @param strictTransportSecurity the value of a {@code Strict-Transport-Security} header (RFC 6797)
 *     sent on every response the server writes, error responses included; {@code null} for none.
 *     Only for a server reached over TLS: {@code HttpsServer} keeps it on its secure listener and
 *     drops it in INSECURE mode and on the redirect listener (RFC 6797 §7.2: never over plain
 *     HTTP). Not in ESP. Ours: null.
 * @param scheme the scheme clients use to reach this server, {@code http} or {@code https}: what
 *     {@link HttpRequest#scheme()} answers when no trusted proxy says otherwise. The HTTPS layer
 *     sets {@code https} on the server it secures (the core cannot see the transport). Not in ESP.
 *     Ours: http.
 * @param forwardedHeaders how to read the {@code Forwarded} / {@code X-Forwarded-*} headers of
 *     trusted proxies into each request's {@link HttpRequest#origin() origin}; {@code null} reads
 *     none (the connection's own view). Not in ESP. Ours: none.
 * @param proxyProtocol every connection must begin with a PROXY protocol header (v1 or v2) from a
 *     trusted source, read before the open hook (so before TLS); its client address is then the
 *     session's {@link HttpSession#remoteAddress()}. {@code null}: off. Not in ESP. Ours: off.
 * @param http2 HTTP/2 on TLS connections (ALPN {@code h2}) and its limits. Not in ESP. Ours: off.
 */
public record HttpServerConfig(
        int serverPort,
        InetAddress bindAddress,
        int maxOpenSockets,
        int maxUriHandlers,
        int maxRespHeaders,
        int backlogConn,
        boolean lruPurgeEnable,
        Duration recvWaitTimeout,
        Duration sendWaitTimeout,
        int maxReqHdrLen,
        int maxUriLen,
        boolean enableSoLinger,
        Duration lingerTimeout,
        boolean keepAliveEnable,
        Duration keepAliveIdle,
        Duration keepAliveInterval,
        int keepAliveCount,
        Object globalUserContext,
        Consumer<Object> globalUserContextFree,
        Object globalTransportContext,
        Consumer<Object> globalTransportContextFree,
        OpenHook openHook,
        CloseHook closeHook,
        UriMatcher uriMatcher,
        Duration idleTimeout,
        Duration headerReadTimeout,
        long maxContentLength,
        int maxHeaderCount,
        long maxDrainLength,
        boolean tcpNoDelay,
        long maxWsFrameLength,
        long maxWsMessageLength,
        RequestObserver requestObserver,
        List<ServerEventListener> eventListeners,
        boolean espIdfCompatible,
        String strictTransportSecurity,
        String scheme,
        ForwardedHeaders forwardedHeaders,
        ProxyProtocol proxyProtocol,
        Http2Config http2) {

    /** Validates every field; prefer {@link #builder()}. */
    public HttpServerConfig {
        requireRange("serverPort", serverPort, 0, 65535);
        if (strictTransportSecurity != null) {
            try {
                HttpRules.checkHeaderValue("Strict-Transport-Security", strictTransportSecurity);
            } catch (IllegalArgumentException e) {
                throw invalid("strictTransportSecurity", strictTransportSecurity, e.getMessage());
            }
        }
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw invalid("scheme", scheme, "http or https");
        }
        requireRange("maxOpenSockets", maxOpenSockets, 1, 1_000_000);
        requireRange("maxUriHandlers", maxUriHandlers, 1, 1_000_000);
        requireRange("maxRespHeaders", maxRespHeaders, 0, 10_000);
        requireRange("backlogConn", backlogConn, 1, 1_000_000);
        requirePositive("recvWaitTimeout", recvWaitTimeout);
        requirePositive("sendWaitTimeout", sendWaitTimeout);
        requireRange("maxReqHdrLen", maxReqHdrLen, 64, 1 << 20);
        requireRange("maxUriLen", maxUriLen, 16, 1 << 20);
        requireNonNegative("lingerTimeout", lingerTimeout);
        if (lingerTimeout.toSeconds() > 65535) {
            throw invalid("lingerTimeout", lingerTimeout, "at most 65535 s");
        }
        if (lingerTimeout.toNanos() % 1_000_000_000L != 0) {
            // SO_LINGER counts whole seconds: 500 ms would silently become 0, an abortive close
            throw invalid("lingerTimeout", lingerTimeout, "SO_LINGER has a resolution of one second");
        }
        requirePositive("keepAliveIdle", keepAliveIdle);
        requirePositive("keepAliveInterval", keepAliveInterval);
        requireRange("keepAliveCount", keepAliveCount, 1, 127);
        if (keepAliveIdle.toSeconds() < 1 || keepAliveInterval.toSeconds() < 1) {
            throw invalid(
                    keepAliveIdle.toSeconds() < 1 ? "keepAliveIdle" : "keepAliveInterval",
                    keepAliveIdle.toSeconds() < 1 ? keepAliveIdle : keepAliveInterval,
                    "TCP keep-alive timers have a resolution of one second");
        }
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("headerReadTimeout", headerReadTimeout);
        if (maxContentLength < 0) {
            throw invalid("maxContentLength", maxContentLength, "must be >= 0");
        }
        requireRange("maxHeaderCount", maxHeaderCount, 1, 100_000);
        if (maxDrainLength < 0) {
            throw invalid("maxDrainLength", maxDrainLength, "must be >= 0");
        }
        if (maxWsFrameLength < 1) {
            throw invalid("maxWsFrameLength", maxWsFrameLength, "must be >= 1");
        }
        if (maxWsMessageLength < maxWsFrameLength) {
            throw invalid("maxWsMessageLength", maxWsMessageLength, "must be >= maxWsFrameLength");
        }
        eventListeners = List.copyOf(Objects.requireNonNull(eventListeners, "eventListeners"));
        Objects.requireNonNull(http2, "http2");
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder preset to ESP-IDF's {@code HTTPD_DEFAULT_CONFIG()}, for testing clients against the
     * limits they meet on a device: 7 sessions, 8 URI handlers, 8 extra response headers, 512-byte
     * URI and header limits counted as ESP counts them, 5 s receive and send timeouts, a backlog of
     * 5, no LRU purge, and {@link #espIdfCompatible()}. Values set on the builder afterwards win.
     * The port stays ours (8080): ESP's 80 needs privileges on most systems.
     */
    public static Builder espIdfDefaults() {
        return new Builder()
                .maxOpenSockets(7)
                .maxUriHandlers(8)
                .maxRespHeaders(8)
                .backlogConn(5)
                .lruPurgeEnable(false)
                .recvWaitTimeout(Duration.ofSeconds(5))
                .sendWaitTimeout(Duration.ofSeconds(5))
                .maxReqHdrLen(512)
                .maxUriLen(512)
                .espIdfCompatible(true);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(field, value, "must be between " + min + " and " + max);
        }
    }

    private static void requirePositive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(field, value, "must be a positive duration");
        }
    }

    private static void requireNonNegative(String field, Duration value) {
        if (value == null || value.isNegative()) {
            throw invalid(field, value, "must be zero or a positive duration");
        }
    }

    private static InvalidConfigException invalid(String field, Object value, String rule) {
        return new InvalidConfigException("HttpServerConfig", field, value, rule);
    }

    /** Builds {@link HttpServerConfig}; every default lives here. */
    public static final class Builder {
        private int serverPort = 8080;
        private InetAddress bindAddress;
        private int maxOpenSockets = 10_000;
        private int maxUriHandlers = 1024;
        private int maxRespHeaders = 64;
        private int backlogConn = 1024;
        private boolean lruPurgeEnable;
        private Duration recvWaitTimeout = Duration.ofSeconds(20);
        private Duration sendWaitTimeout = Duration.ofSeconds(20);
        private int maxReqHdrLen = 8 * 1024;
        private int maxUriLen = 8 * 1024;
        private boolean enableSoLinger;
        private Duration lingerTimeout = Duration.ZERO;
        private boolean keepAliveEnable;
        private Duration keepAliveIdle = Duration.ofSeconds(5);
        private Duration keepAliveInterval = Duration.ofSeconds(5);
        private int keepAliveCount = 3;
        private Object globalUserContext;
        private Consumer<Object> globalUserContextFree;
        private Object globalTransportContext;
        private Consumer<Object> globalTransportContextFree;
        private OpenHook openHook;
        private CloseHook closeHook;
        private UriMatcher uriMatcher;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration headerReadTimeout = Duration.ofSeconds(20);
        private long maxContentLength = Long.MAX_VALUE;
        private int maxHeaderCount = 100;
        private long maxDrainLength = 1024 * 1024;
        private boolean tcpNoDelay = true;
        private long maxWsFrameLength = 16 * 1024 * 1024;
        private long maxWsMessageLength = 64 * 1024 * 1024;
        private RequestObserver requestObserver;
        private List<ServerEventListener> eventListeners = List.of();
        private boolean espIdfCompatible;
        private String strictTransportSecurity;
        private String scheme = "http";
        private ForwardedHeaders forwardedHeaders;
        private ProxyProtocol proxyProtocol;
        private Http2Config http2 = Http2Config.DEFAULTS;

        private Builder() {}

        private Builder(HttpServerConfig c) {
            serverPort = c.serverPort;
            bindAddress = c.bindAddress;
            maxOpenSockets = c.maxOpenSockets;
            maxUriHandlers = c.maxUriHandlers;
            maxRespHeaders = c.maxRespHeaders;
            backlogConn = c.backlogConn;
            lruPurgeEnable = c.lruPurgeEnable;
            recvWaitTimeout = c.recvWaitTimeout;
            sendWaitTimeout = c.sendWaitTimeout;
            maxReqHdrLen = c.maxReqHdrLen;
            maxUriLen = c.maxUriLen;
            enableSoLinger = c.enableSoLinger;
            lingerTimeout = c.lingerTimeout;
            keepAliveEnable = c.keepAliveEnable;
            keepAliveIdle = c.keepAliveIdle;
            keepAliveInterval = c.keepAliveInterval;
            keepAliveCount = c.keepAliveCount;
            globalUserContext = c.globalUserContext;
            globalUserContextFree = c.globalUserContextFree;
            globalTransportContext = c.globalTransportContext;
            globalTransportContextFree = c.globalTransportContextFree;
            openHook = c.openHook;
            closeHook = c.closeHook;
            uriMatcher = c.uriMatcher;
            idleTimeout = c.idleTimeout;
            headerReadTimeout = c.headerReadTimeout;
            maxContentLength = c.maxContentLength;
            maxHeaderCount = c.maxHeaderCount;
            maxDrainLength = c.maxDrainLength;
            tcpNoDelay = c.tcpNoDelay;
            maxWsFrameLength = c.maxWsFrameLength;
            maxWsMessageLength = c.maxWsMessageLength;
            requestObserver = c.requestObserver;
            eventListeners = c.eventListeners;
            espIdfCompatible = c.espIdfCompatible;
            strictTransportSecurity = c.strictTransportSecurity;
            scheme = c.scheme;
            forwardedHeaders = c.forwardedHeaders;
            proxyProtocol = c.proxyProtocol;
            http2 = c.http2;
        }

        public Builder serverPort(int serverPort) {
            this.serverPort = serverPort;
            return this;
        }

        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        public Builder maxOpenSockets(int maxOpenSockets) {
            this.maxOpenSockets = maxOpenSockets;
            return this;
        }

        public Builder maxUriHandlers(int maxUriHandlers) {
            this.maxUriHandlers = maxUriHandlers;
            return this;
        }

        public Builder maxRespHeaders(int maxRespHeaders) {
            this.maxRespHeaders = maxRespHeaders;
            return this;
        }

        public Builder backlogConn(int backlogConn) {
            this.backlogConn = backlogConn;
            return this;
        }

        public Builder lruPurgeEnable(boolean lruPurgeEnable) {
            this.lruPurgeEnable = lruPurgeEnable;
            return this;
        }

        public Builder recvWaitTimeout(Duration recvWaitTimeout) {
            this.recvWaitTimeout = recvWaitTimeout;
            return this;
        }

        public Builder sendWaitTimeout(Duration sendWaitTimeout) {
            this.sendWaitTimeout = sendWaitTimeout;
            return this;
        }

        public Builder maxReqHdrLen(int maxReqHdrLen) {
            this.maxReqHdrLen = maxReqHdrLen;
            return this;
        }

        public Builder maxUriLen(int maxUriLen) {
            this.maxUriLen = maxUriLen;
            return this;
        }

        public Builder enableSoLinger(boolean enableSoLinger) {
            this.enableSoLinger = enableSoLinger;
            return this;
        }

        public Builder lingerTimeout(Duration lingerTimeout) {
            this.lingerTimeout = lingerTimeout;
            return this;
        }

        public Builder keepAliveEnable(boolean keepAliveEnable) {
            this.keepAliveEnable = keepAliveEnable;
            return this;
        }

        public Builder keepAliveIdle(Duration keepAliveIdle) {
            this.keepAliveIdle = keepAliveIdle;
            return this;
        }

        public Builder keepAliveInterval(Duration keepAliveInterval) {
            this.keepAliveInterval = keepAliveInterval;
            return this;
        }

        public Builder keepAliveCount(int keepAliveCount) {
            this.keepAliveCount = keepAliveCount;
            return this;
        }

        public Builder globalUserContext(Object context, Consumer<Object> free) {
            this.globalUserContext = context;
            this.globalUserContextFree = free;
            return this;
        }

        public Builder globalTransportContext(Object context, Consumer<Object> free) {
            this.globalTransportContext = context;
            this.globalTransportContextFree = free;
            return this;
        }

        public Builder openHook(OpenHook openHook) {
            this.openHook = openHook;
            return this;
        }

        public Builder closeHook(CloseHook closeHook) {
            this.closeHook = closeHook;
            return this;
        }

        public Builder uriMatcher(UriMatcher uriMatcher) {
            this.uriMatcher = uriMatcher;
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder headerReadTimeout(Duration headerReadTimeout) {
            this.headerReadTimeout = headerReadTimeout;
            return this;
        }

        public Builder maxContentLength(long maxContentLength) {
            this.maxContentLength = maxContentLength;
            return this;
        }

        public Builder maxHeaderCount(int maxHeaderCount) {
            this.maxHeaderCount = maxHeaderCount;
            return this;
        }

        public Builder maxDrainLength(long maxDrainLength) {
            this.maxDrainLength = maxDrainLength;
            return this;
        }

        public Builder tcpNoDelay(boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
            return this;
        }

        public Builder maxWsFrameLength(long maxWsFrameLength) {
            this.maxWsFrameLength = maxWsFrameLength;
            return this;
        }

        public Builder maxWsMessageLength(long maxWsMessageLength) {
            this.maxWsMessageLength = maxWsMessageLength;
            return this;
        }

        public Builder requestObserver(RequestObserver requestObserver) {
            this.requestObserver = requestObserver;
            return this;
        }

        /**
         * Adds an observer after the one already set ({@link RequestObserver#andThen}): each is
         * told about every request, so that metrics, tracing and an access log can observe side by
         * side.
         */
        public Builder addRequestObserver(RequestObserver observer) {
            Objects.requireNonNull(observer, "observer");
            this.requestObserver = requestObserver == null ? observer : requestObserver.andThen(observer);
            return this;
        }

        public Builder eventListeners(List<ServerEventListener> eventListeners) {
            this.eventListeners = List.copyOf(eventListeners);
            return this;
        }

        /** Adds one event listener to those already set. */
        public Builder eventListener(ServerEventListener listener) {
            var all = new ArrayList<>(eventListeners);
            all.add(Objects.requireNonNull(listener, "listener"));
            this.eventListeners = List.copyOf(all);
            return this;
        }

        /** HTTP/2 on TLS connections: whether ALPN offers it, and its limits. */
        public Builder http2(Http2Config http2) {
            this.http2 = Objects.requireNonNull(http2, "http2");
            return this;
        }

        public Builder espIdfCompatible(boolean espIdfCompatible) {
            this.espIdfCompatible = espIdfCompatible;
            return this;
        }

        /** A {@code Strict-Transport-Security} value such as {@code max-age=31536000}; null for none. */
        public Builder strictTransportSecurity(String strictTransportSecurity) {
            this.strictTransportSecurity = strictTransportSecurity;
            return this;
        }

        /**
         * The scheme clients use to reach this server when no trusted proxy says otherwise:
         * {@code http} (the default) or {@code https} (the HTTPS layer sets it).
         */
        public Builder scheme(String scheme) {
            this.scheme = scheme;
            return this;
        }

        /**
         * Reads trusted proxies' forwarded headers into each request's {@link HttpRequest#origin()
         * origin} ({@code server.forward-headers-strategy=native} in Spring Boot); {@code null}, the
         * default, reads none.
         */
        public Builder forwardedHeaders(ForwardedHeaders forwardedHeaders) {
            this.forwardedHeaders = forwardedHeaders;
            return this;
        }

        /**
         * Requires a PROXY protocol header from a trusted source at the start of every connection
         * ({@code null}, the default, reads none): a connection from another peer, or without a
         * valid header in time, is closed unserved.
         */
        public Builder proxyProtocol(ProxyProtocol proxyProtocol) {
            this.proxyProtocol = proxyProtocol;
            return this;
        }

        /**
         * @throws InvalidConfigException naming the first invalid field
         */
        public HttpServerConfig build() {
            return new HttpServerConfig(
                    serverPort,
                    bindAddress,
                    maxOpenSockets,
                    maxUriHandlers,
                    maxRespHeaders,
                    backlogConn,
                    lruPurgeEnable,
                    recvWaitTimeout,
                    sendWaitTimeout,
                    maxReqHdrLen,
                    maxUriLen,
                    enableSoLinger,
                    lingerTimeout,
                    keepAliveEnable,
                    keepAliveIdle,
                    keepAliveInterval,
                    keepAliveCount,
                    globalUserContext,
                    globalUserContextFree,
                    globalTransportContext,
                    globalTransportContextFree,
                    openHook,
                    closeHook,
                    uriMatcher,
                    idleTimeout,
                    headerReadTimeout,
                    maxContentLength,
                    maxHeaderCount,
                    maxDrainLength,
                    tcpNoDelay,
                    maxWsFrameLength,
                    maxWsMessageLength,
                    requestObserver,
                    eventListeners,
                    espIdfCompatible,
                    strictTransportSecurity,
                    scheme,
                    forwardedHeaders,
                    proxyProtocol,
                    http2);
        }
    }
}
