package dev.httpsd.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import jdk.net.ExtendedSocketOptions;

/**
 * An HTTP/1.1 server with ESP-IDF's {@code esp_http_server} API ({@code httpd_handle_t}).
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
    private static final int WORK_QUEUE_CAPACITY = 65_536;

    private final HttpServerConfig config;
    private final ServerSocket listener;
    private final SessionRegistry sessions;
    private final UriRouter router;
    private final Map<HttpError, ErrorHandler> errorHandlers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<ServerEventListener> listeners;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final LongAdder requests = new LongAdder();
    private final WorkQueue workQueue;
    private final ScheduledExecutorService watchdog;
    private final Thread acceptor;
    private volatile boolean listenersPresent;
    private volatile boolean draining;
    private volatile boolean stopped;
    /** Released when {@link #stop()} has completed, for callers that found it under way. */
    private final CountDownLatch stopDone = new CountDownLatch(1);

    private final AtomicReference<HttpServerEvent.Id> state = new AtomicReference<>(HttpServerEvent.Id.STOP);

    private HttpServer(HttpServerConfig config, ServerSocket listener) {
        this.config = config;
        this.listener = listener;
        this.sessions = new SessionRegistry(config.maxOpenSockets());
        this.router = new UriRouter(config.maxUriHandlers(), config.uriMatcher());
        this.listeners = new CopyOnWriteArrayList<>(config.eventListeners());
        this.listenersPresent = !listeners.isEmpty();
        int port = listener.getLocalPort();
        this.workQueue = new WorkQueue("httpd-work-" + port, WORK_QUEUE_CAPACITY);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "httpd-watchdog-" + port);
            t.setDaemon(true);
            return t;
        });
        // not a daemon: like any server, a running one keeps the JVM alive until stopped
        this.acceptor = Thread.ofPlatform()
                .name("httpd-acceptor-" + port)
                .daemon(false)
                .unstarted(new Acceptor(this, listener, sessions.slots()));
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
    public static HttpServer start(HttpServerConfig config, java.util.function.Consumer<HttpServer> beforeAccepting)
            throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(beforeAccepting, "beforeAccepting");
        ServerSocket listener = new ServerSocket();
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.serverPort());
        try {
            listener.setReuseAddress(true);
            listener.bind(address, config.backlogConn());
        } catch (IOException e) {
            listener.close();
            throw new ListenException(address, e);
        }
        HttpServer server = new HttpServer(config, listener);
        try {
            beforeAccepting.accept(server);
        } catch (RuntimeException | Error e) {
            listener.close();
            throw e;
        }
        server.workQueue.start();
        long sendTimeoutNanos = config.sendWaitTimeout().toNanos();
        // a quarter of the shortest timeout the watchdog enforces, within 10-250 ms
        long shortest = Math.min(
                Math.min(
                        config.sendWaitTimeout().toMillis(),
                        config.recvWaitTimeout().toMillis()),
                Math.min(
                        config.idleTimeout().toMillis(),
                        config.headerReadTimeout().toMillis()));
        long period = Math.max(10, Math.min(250, shortest / 4));
        server.watchdog.scheduleWithFixedDelay(
                () -> server.sessions.checkDeadlines(sendTimeoutNanos), period, period, TimeUnit.MILLISECONDS);
        server.acceptor.start();
        LOG.log(Level.DEBUG, () -> "listening on " + server.localAddress());
        server.recordState(HttpServerEvent.Id.START);
        server.postEvent(new HttpServerEvent.Start(server.localAddress()));
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
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        closeListener();
        for (Session session : sessions.all()) {
            session.abort();
        }
        sessions.awaitEmpty(Duration.ofSeconds(10));
        try {
            workQueue.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.shutdownNow();
        freeGlobal(config.globalUserContext(), config.globalUserContextFree(), "global user context");
        freeGlobal(config.globalTransportContext(), config.globalTransportContextFree(), "global transport context");
        router.clear();
        errorHandlers.clear();
        stopped = true;
        state.set(HttpServerEvent.Id.STOP);
        try {
            postEvent(new HttpServerEvent.Stop(localAddress()));
        } finally {
            stopDone.countDown();
        }
    }

    /** Waits for the stop another thread runs; a session thread must not, that stop waits for it. */
    private void awaitStopped() {
        Thread self = Thread.currentThread();
        for (Session session : sessions.all()) {
            if (session.thread() == self) {
                return;
            }
        }
        try {
            stopDone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops gracefully: new connections are refused at once, idle sessions are closed, requests in
     * flight finish (their responses say {@code Connection: close}) for up to {@code gracePeriod};
     * then {@link #stop()}. A {@link #stop()} from another thread meanwhile ends the wait: the
     * sessions left are closed at once.
     *
     * @return true when every session ended by itself within the grace period
     */
    public boolean stop(Duration gracePeriod) {
        draining = true;
        closeListener();
        for (Session session : sessions.all()) {
            session.triggerClose();
        }
        boolean clean = sessions.awaitEmpty(gracePeriod) && !stopping.get();
        stop();
        return clean;
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

    /** The last event the server recorded ({@code httpd_get_server_state}): coarse and server-wide. */
    public HttpServerEvent.Id state() {
        return state.get();
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
        WebSocketConnection webSocket = session.webSocket();
        return webSocket != null && webSocket.isOpen() ? WsClientInfo.WEBSOCKET : WsClientInfo.HTTP;
    }

    /** The WebSocket of a session, when it is one; send to it from any thread. */
    public Optional<WebSocket> webSocket(int sessionId) {
        Session session = sessions.get(sessionId);
        return session == null ? Optional.empty() : Optional.ofNullable(session.webSocket());
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
    public java.util.concurrent.CompletableFuture<Void> sendFrameAsync(int sessionId, WsFrame frame) {
        Objects.requireNonNull(frame, "frame");
        var done = new java.util.concurrent.CompletableFuture<Void>();
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
        return sessions.statistics(requests.sum());
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
        workQueue.submit(work);
    }

    /** Adds an event listener; it sees events from now on. */
    public void addEventListener(ServerEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        listenersPresent = true;
    }

    /** Removes an event listener; it sees no event from now on. */
    public void removeEventListener(ServerEventListener listener) {
        listeners.remove(Objects.requireNonNull(listener, "listener"));
        listenersPresent = !listeners.isEmpty();
    }

    /**
     * Whether any listener is registered: event producers check this first so that, with none,
     * no event object is created.
     */
    public boolean hasEventListeners() {
        return listenersPresent;
    }

    /**
     * Delivers an event to every listener, synchronously. Used by the server and by transport
     * layers (TLS) to post their own event family to the same listeners.
     */
    public void postEvent(ServerEvent event) {
        Objects.requireNonNull(event, "event");
        if (!listenersPresent) {
            return;
        }
        for (ServerEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "event listener failed on " + event.name(), t);
            }
        }
    }

    @Override
    public String toString() {
        return "HttpServer[" + localAddress() + "]";
    }

    // ---- package-private: used by sessions and the acceptor --------------------------------

    UriRouter router() {
        return router;
    }

    ErrorHandler errorHandler(HttpError error) {
        return errorHandlers.isEmpty() ? null : errorHandlers.get(error);
    }

    boolean isDraining() {
        return draining;
    }

    void recordState(HttpServerEvent.Id id) {
        HttpServerEvent.Id current = state.get();
        // a session that outlives stop() (its own handler called it) must not undo STOP; losing
        // a race to another session's event is fine, the state is coarse
        if (current != id && !(stopped && current == HttpServerEvent.Id.STOP)) {
            state.compareAndSet(current, id);
        }
    }

    SessionRegistry sessions() {
        return sessions;
    }

    void startSession(Socket client) {
        Session session = null;
        try {
            configure(client);
            int id = sessions.nextId();
            session = new Session(this, id, client);
            sessions.add(session);
            if (stopping.get()) {
                session.abort();
            }
            Thread.ofVirtual().name("httpd-session-" + id).start(session);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            LOG.log(Level.WARNING, "could not start a session for " + client.getRemoteSocketAddress() + ": " + e);
            try {
                client.close();
            } catch (IOException ignored) {
                // already failing
            }
            sessions.abandon(session);
        }
    }

    void requestCompleted() {
        requests.increment();
    }

    private void configure(Socket client) throws IOException {
        client.setTcpNoDelay(config.tcpNoDelay());
        if (config.keepAliveEnable()) {
            client.setKeepAlive(true);
            try {
                client.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, (int)
                        config.keepAliveIdle().toSeconds());
                client.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, (int)
                        config.keepAliveInterval().toSeconds());
                client.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, config.keepAliveCount());
            } catch (UnsupportedOperationException e) {
                LOG.log(Level.DEBUG, () -> "TCP keep-alive timers not supported here: " + e);
            }
        }
    }

    private void closeListener() {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "closing the listener failed: " + e);
        }
        acceptor.interrupt();
    }

    private static void freeGlobal(Object context, java.util.function.Consumer<Object> free, String what) {
        if (context != null && free != null) {
            try {
                free.accept(context);
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "freeing the " + what + " failed", t);
            }
        }
    }
}
