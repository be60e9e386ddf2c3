package dev.httpsd.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 server (and HTTP/2 where TLS negotiates {@code h2}) with ESP-IDF's {@code
 * esp_http_server} API ({@code httpd_handle_t}).
 *
 * <p>{@link #start} binds and starts an acceptor thread; each connection is a session served by
 * its own virtual thread, so a slow client, handshake or handler stalls only its own session.
 * Handlers can be registered and unregistered at any time.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.start(HttpServerConfig.builder().serverPort(0).build());
 * server.registerUriHandler(UriHandler.of("/hello", HttpMethod.GET,
 *         (req, resp) -> resp.contentType("text/plain").send("Hello World!")));
 * int port = server.port();
 * ...
 * server.stop();
 * }</pre>
 */
public final class HttpServer {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final HttpServerConfig config;
    private final ServerSocket listener;
    private final SessionRegistry sessions;
    private final UriRouter router;
    private final Map<HttpError, ErrorHandler> errorHandlers = new ConcurrentHashMap<>();
    private final Events events;
    private final Protocols protocols;
    private final Http2Statistics http2Statistics = new Http2Statistics();
    private final Timeouts timeouts;
    private final Lifecycle lifecycle;
    /** The direct buffers a file sent over TLS is read into, a send piece each, 16 kept at most. */
    private final DirectBuffers fileBuffers;

    private volatile boolean stopped;

    /** START once started, STOP once stopped: set by those two events only. */
    private volatile HttpServerEvent.Id state = HttpServerEvent.Id.STOP;

    private HttpServer(HttpServerConfig config, ServerSocket listener, Protocols protocols) {
        this.config = config;
        this.protocols = protocols;
        this.listener = listener;
        this.sessions = new SessionRegistry(config.maxOpenSockets());
        this.router = new UriRouter(config.maxUriHandlers(), config.uriMatcher());
        this.events = new Events(config.eventListeners());
        this.timeouts = Timeouts.of(config);
        this.lifecycle = new Lifecycle(this, listener, sessions, timeouts);
        this.fileBuffers = new DirectBuffers(Sender.sendPiece(config.sendWaitTimeout()), 16);
    }

    /**
     * Binds the configured port and starts serving ({@code httpd_start}). Posts START.
     *
     * @throws ListenException when the address or port cannot be bound, naming both
     * @throws IOException when the listening socket cannot be created
     */
    public static HttpServer start(HttpServerConfig config) throws IOException {
        return start(config, server -> {});
    }

    /**
     * Like {@link #start(HttpServerConfig)}, running {@code beforeAccepting} once the port is
     * bound and before the first connection is accepted and START is posted: the place to
     * register handlers so that no early request sees a 404.
     */
    public static HttpServer start(HttpServerConfig config, Consumer<HttpServer> beforeAccepting) throws IOException {
        return start(config, beforeAccepting, events -> {});
    }

    /**
     * Like {@link #start(HttpServerConfig, Consumer)}, for a layer built on the server (the HTTPS
     * layer): {@code layer} receives the server's event sink once the port is bound, before START
     * is posted, to post its own event family (server-wide events included) to the server's
     * listeners. Only whoever starts a server holds its sink; handlers cannot reach it.
     */
    public static HttpServer start(
            HttpServerConfig config, Consumer<HttpServer> beforeAccepting, Consumer<EventSink> layer)
            throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(beforeAccepting, "beforeAccepting");
        Objects.requireNonNull(layer, "layer");
        Protocols protocols = Protocols.load();
        ServerSocket listener = Acceptor.bind(config);
        HttpServer server = new HttpServer(config, listener, protocols);
        try {
            layer.accept(server.events);
            beforeAccepting.accept(server);
        } catch (RuntimeException | Error e) {
            listener.close();
            throw e;
        }
        server.lifecycle.start();
        LOG.log(Level.DEBUG, () -> "listening on " + server.localAddress());
        server.state = HttpServerEvent.Id.START;
        server.events.post(new HttpServerEvent.Start(server.localAddress()));
        return server;
    }

    /**
     * Stops the server at once ({@code httpd_stop}): stops accepting, closes every session (each
     * in ESP's order: close hook, socket, DISCONNECTED, user and transport context frees), runs
     * the queued work, frees the global user and transport contexts, unregisters all handlers and
     * posts STOP. Idempotent: a call while another thread is stopping the server returns once that
     * stop has completed (STOP posted), except from a session of this server. Called from a handler
     * it does not wait for that handler's session.
     */
    public void stop() {
        lifecycle.stop(this::stopped);
    }

    /** The server's own part of a stop, once every session has closed. */
    private void stopped() {
        ContextSlot.free("global user context", config.globalUserContext(), config.globalUserContextFree(), this);
        ContextSlot.free(
                "global transport context", config.globalTransportContext(), config.globalTransportContextFree(), this);
        router.clear();
        errorHandlers.clear();
        stopped = true;
        state = HttpServerEvent.Id.STOP;
        events.post(new HttpServerEvent.Stop(localAddress()));
    }

    /**
     * Stops gracefully, for up to {@code gracePeriod}: idle sessions close, requests in flight
     * finish, and connections already accepted (in the backlog, or with no request yet) get their
     * first request served, all with {@code Connection: close}; then the listener closes, later
     * connections are refused, and {@link #stop()}. A {@link #stop()} from another thread
     * meanwhile ends the wait: the sessions left are closed at once.
     *
     * @return true when every session ended by itself within the grace period
     */
    public boolean stop(Duration gracePeriod) {
        return lifecycle.stop(gracePeriod, this::stopped);
    }

    /** Whether {@link #stop()} has completed. */
    public boolean isStopped() {
        return stopped;
    }

    /** The bound port; with {@code serverPort(0)} the port the system picked. */
    public int port() {
        return listener.getLocalPort();
    }

    /** The bound address and port. */
    public InetSocketAddress localAddress() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /** The configuration the server was started with. */
    public HttpServerConfig config() {
        return config;
    }

    /**
     * Whether the server runs ({@code httpd_get_server_state}): {@code START} from the end of
     * {@link #start} on, {@code STOP} once {@link #stop()} has completed. Session events do not
     * change it.
     */
    public HttpServerEvent.Id state() {
        return state;
    }

    /** {@code httpd_get_global_user_ctx}. */
    public Object globalUserContext() {
        return config.globalUserContext();
    }

    /**
     * {@code httpd_get_global_transport_ctx}: the configured global transport context; for the
     * server of an HTTPS server in SECURE mode, its TLS context ({@code
     * dev.httpsd.server.tls.TlsServerContext}), as ESP returns the shared SSL context.
     */
    public Object globalTransportContext() {
        return config.globalTransportContext();
    }

    /**
     * Registers a URI handler ({@code httpd_register_uri_handler}); safe while serving.
     *
     * @throws HttpServerException {@code HANDLER_EXISTS} when a registered template already matches
     *     this URI (through the server's matcher, {@link UriMatcher#conflicts}) with the same method
     *     or with {@code ANY}, as in ESP ({@code ANY} after {@code GET} is accepted; {@code GET}
     *     after {@code ANY} is not); {@code HANDLERS_FULL} when {@code maxUriHandlers} are
     *     registered
     * @throws IllegalArgumentException when the server's matcher is a {@linkplain
     *     UriMatcher#template template matcher} and the URI uses braces other than as variables
     */
    public void registerUriHandler(UriHandler handler) {
        router.register(Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Unregisters the handler with exactly this URI and method ({@code httpd_unregister_uri_handler}).
     *
     * @return false when there was none (ESP's {@code ESP_ERR_NOT_FOUND})
     */
    public boolean unregisterUriHandler(String uri, HttpMethod method) {
        return router.unregister(Objects.requireNonNull(uri, "uri"), Objects.requireNonNull(method, "method"));
    }

    /**
     * Unregisters every method of exactly this URI ({@code httpd_unregister_uri}).
     *
     * @return false when there was none
     */
    public boolean unregisterUri(String uri) {
        return router.unregisterAll(Objects.requireNonNull(uri, "uri"));
    }

    /** The registered handlers in match order. */
    public List<UriHandler> uriHandlers() {
        return router.handlers();
    }

    /**
     * Sets the custom handler for an error ({@code httpd_register_err_handler}); {@code null}
     * restores the default response.
     */
    public void registerErrorHandler(HttpError error, ErrorHandler handler) {
        Objects.requireNonNull(error, "error");
        if (handler == null) {
            errorHandlers.remove(error);
        } else {
            errorHandlers.put(error, handler);
        }
    }

    /** An open session by id; empty when there is none (ESP returns NULL / NOT_FOUND). */
    public Optional<HttpSession> session(int id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** What a session is ({@code httpd_ws_get_fd_info}): INVALID, HTTP or WEBSOCKET. */
    public WsClientInfo webSocketState(int sessionId) {
        Session session = sessions.get(sessionId);
        if (session == null || !session.isOpen()) {
            return WsClientInfo.INVALID;
        }
        return webSocket(sessionId).filter(WebSocket::isOpen).isPresent() ? WsClientInfo.WEBSOCKET : WsClientInfo.HTTP;
    }

    /** The WebSocket of a session, when it is one; send to it from any thread. */
    public Optional<WebSocket> webSocket(int sessionId) {
        return sessions.get(sessionId) instanceof Session session && session.protocol() instanceof WebSocket webSocket
                ? Optional.of(webSocket)
                : Optional.empty();
    }

    /**
     * Sends a frame to a WebSocket session and waits until it is written ({@code
     * httpd_ws_send_data}).
     *
     * @throws IOException when the session is not an open WebSocket or the send fails
     */
    public void sendFrame(int sessionId, WsFrame frame) throws IOException {
        Objects.requireNonNull(frame, "frame");
        WebSocket webSocket =
                webSocket(sessionId).orElseThrow(() -> new IOException("session " + sessionId + " is not a WebSocket"));
        webSocket.sendFrame(frame);
    }

    /**
     * Queues a frame for a WebSocket session on the work queue ({@code httpd_ws_send_data_async});
     * the future completes when it was written, or exceptionally.
     */
    public CompletableFuture<Void> sendFrameAsync(int sessionId, WsFrame frame) {
        Objects.requireNonNull(frame, "frame");
        var done = new CompletableFuture<Void>();
        try {
            queueWork(() -> {
                try {
                    sendFrame(sessionId, frame);
                    done.complete(null);
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** The ids of the open sessions in ascending order ({@code httpd_get_client_list}). */
    public List<Integer> clientList() {
        return sessions.ids();
    }

    /** Counters since start: sessions opened/closed/purged, requests completed. */
    public ServerStatistics statistics() {
        return sessions.statistics();
    }

    /** HTTP/2 counters since start: streams, resets and GOAWAYs (all zero while HTTP/2 is off). */
    public Http2Statistics http2Statistics() {
        return http2Statistics;
    }

    /** The number of open sessions. */
    public int openSessions() {
        return sessions.size();
    }

    /**
     * Queues work to run on the server's work thread ({@code httpd_queue_work}).
     *
     * <p>Of ESP's serialisation, this holds: work items run one at a time, in submission order,
     * each to its end before the next starts; and every write call to a session is atomic on the
     * wire, whichever thread makes it: a response {@code send}, one {@code sendChunk}, {@code
     * sendError}, {@code sendRaw}, {@link HttpSession#send} and a WebSocket {@code sendFrame} each
     * go out as one unbroken byte sequence, never interleaved with another call's bytes.
     *
     * <p>This does not hold: ESP runs work on its server task between two rounds of its loop, so no
     * handler runs while work does (async handlers on other tasks aside). Here the work thread runs
     * beside the sessions' threads: work may run while a handler is serving a request on the very
     * session it writes to. A raw send from work then lands between two write calls of that
     * handler (between two chunks of a chunked response, say) and breaks that response's framing;
     * send raw bytes to sessions whose protocol is yours (a WebSocket, or one a handler has handed
     * over), and WebSocket frames with {@code sendFrame} / {@link #sendFrameAsync}. A {@link
     * HttpSession#recv} from work competes with the session's own reads. State that work shares
     * with handlers needs Java's usual synchronisation, which ESP's single task made unnecessary.
     *
     * @throws IllegalStateException when the server is stopped
     * @throws java.util.concurrent.RejectedExecutionException when 65,536 items are already waiting
     */
    public void queueWork(Runnable work) {
        lifecycle.workQueue().submit(work);
    }

    /** Adds an event listener; it sees events from now on. */
    public void addEventListener(ServerEventListener listener) {
        events.add(listener);
    }

    /** Removes an event listener; it sees no event from now on. */
    public void removeEventListener(ServerEventListener listener) {
        events.remove(listener);
    }

    @Override
    public String toString() {
        return "HttpServer[" + localAddress() + "]";
    }

    UriRouter router() {
        return router;
    }

    ErrorHandler errorHandler(HttpError error) {
        return errorHandlers.isEmpty() ? null : errorHandlers.get(error);
    }

    boolean isDraining() {
        return lifecycle.isDraining();
    }

    /** Whether a stop has begun: a session accepted now is closed at once. */
    boolean isStopping() {
        return lifecycle.isStopping();
    }

    EventSink events() {
        return events;
    }

    /** The protocol a new connection starts with: its transport's choice, else HTTP/1.1. */
    Protocol firstProtocol(ConnectionContext connection, String applicationProtocol) {
        return protocols.first(connection, applicationProtocol);
    }

    Timeouts timeouts() {
        return timeouts;
    }

    SessionRegistry sessions() {
        return sessions;
    }

    IdlePoller idlePoller() {
        return lifecycle.idlePoller();
    }

    DirectBuffers fileBuffers() {
        return fileBuffers;
    }
}
