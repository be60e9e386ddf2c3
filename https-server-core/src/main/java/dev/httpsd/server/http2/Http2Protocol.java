package dev.httpsd.server.http2;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.Http2Config;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.InputBuffer;
import dev.httpsd.server.Protocol;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * HTTP/2 on one connection (RFC 9113), over the codec of this package. The session's thread is
 * the reader: it reads frames as they arrive and hands each to {@link InboundFrames}, which keeps
 * the connection's state (streams, windows, settings, flood budgets); this class is the
 * connection's life (preface, idle time, GOAWAY, the end) and what streams ask of it. Each request
 * stream runs its handler on a virtual thread of its own ({@link Http2Stream}); every frame is
 * written through the connection's one {@link Http2Writer}.
 *
 * <p>The connection's state is guarded by one lock; a stream waiting for request body or for
 * flow-control credit waits on its condition. A stream error resets that stream and reading goes
 * on; a connection error ends the connection with GOAWAY and the error's code. Other sessions
 * never notice either.
 */
final class Http2Protocol implements Protocol {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    private static final int CLOSED_STREAM_MEMORY = 128;
    private static final int MAX_CONTINUATIONS = 32;

    final ConnectionContext connection;
    final Http2Writer writer;
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled on anything a stream may wait for: body, credit, reset, end. */
    final Condition changed = lock.newCondition();

    private final InputBuffer in;
    private final FrameReader reader;
    private final StreamRegistry<Http2Stream> streams;
    private final InboundFrames frames;
    private final FlowWindow connectionSend = new FlowWindow(0, Http2Settings.DEFAULT_WINDOW_SIZE);
    private final AtomicBoolean goAwaySent = new AtomicBoolean();
    /**
     * Set once our GOAWAY has been written (or its write failed): the connection may close only
     * then. {@link #goAwaySent} is claimed before the frame is written, and a session thread that
     * closed on it raced the stop thread's write, so the client saw EOF without the GOAWAY.
     */
    private volatile boolean goAwayWritten;

    /**
     * The threads of the stream handlers that have not returned, their last events still to come:
     * the connection's end waits for them, so that every event of a request precedes the session's
     * DISCONNECTED, as on HTTP/1.1. Guarded by the lock.
     */
    private final Set<Thread> handlers = new HashSet<>();

    private boolean prefaceRead;
    private boolean ended;
    /** Since when the connection has had neither a frame nor an open stream: its idle time. */
    private long quietSince = System.nanoTime();

    Http2Protocol(ConnectionContext connection) {
        this.connection = connection;
        Http2Config config = connection.config().http2();
        this.in = connection.input();
        int maxBlock = Math.max(2 * config.maxHeaderListSize(), config.maxFrameSize());
        this.reader =
                new FrameReader(in::read, config.maxFrameSize(), new HeaderBlockAssembler(maxBlock, MAX_CONTINUATIONS));
        this.streams = new StreamRegistry<>(config.maxConcurrentStreams(), CLOSED_STREAM_MEMORY);
        this.writer = new Http2Writer(connection);
        this.frames = new InboundFrames(this, streams);
    }

    @Override
    public Next start(ConnectionContext connection) throws IOException {
        frames.sendPreface();
        return Next.KEEP;
    }

    /**
     * The idle timeout, counted from the last frame or the end of the last stream, whichever came
     * later. While streams are open the client may rightly send nothing for long: the session then
     * waits in slices of the idle timeout ({@link #inFlight}) and asks again.
     */
    @Override
    public int idleMillis(ConnectionContext connection) {
        int idle = connection.timeouts().idleMillis();
        lock.lock();
        try {
            if (streams.activeCount() > 0) {
                return idle;
            }
            long quietMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - quietSince);
            return (int) Math.max(1, idle - quietMillis);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void idleTimedOut(ConnectionContext connection) {
        LOG.log(Level.DEBUG, () -> connection + ": HTTP/2 idle timeout");
        goAway(ErrorCode.NO_ERROR, "idle timeout");
    }

    @Override
    public Next serve(ConnectionContext connection) throws IOException {
        in.timeout(connection.timeouts().recvMillis());
        try {
            if (!prefaceRead) {
                reader.readPreface();
                prefaceRead = true;
            }
            do {
                try {
                    if (!reader.readFrame(frames)) {
                        return Next.CLOSE;
                    }
                } catch (Http2StreamException e) {
                    frames.streamError(e);
                }
            } while (reader.hasBuffered() || in.buffered() > 0);
        } catch (Http2ConnectionException e) {
            LOG.log(Level.DEBUG, () -> connection + ": HTTP/2 connection error " + e.code() + ": " + e.getMessage());
            goAway(e.code(), e.getMessage());
            // the client may still be sending (a flood): linger, so its GOAWAY is read, not reset away
            connection.lingerOnClose();
            return Next.CLOSE;
        } catch (Http2Exception e) {
            throw new IllegalStateException(e); // stream errors are caught above
        } catch (EOFException e) {
            LOG.log(Level.DEBUG, () -> connection + ": client closed inside an HTTP/2 frame");
            return Next.CLOSE;
        }
        lock.lock();
        try {
            quietSince = System.nanoTime();
            // after either side's GOAWAY the connection ends with its last stream
            return (frames.peerGoingAway() || goAwayWritten) && streams.activeCount() == 0 ? Next.CLOSE : Next.KEEP;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean inFlight() {
        lock.lock();
        try {
            return streams.activeCount() > 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A graceful close (a trigger, a stop with a grace period, {@code closeSession}) refuses new
     * streams with GOAWAY NO_ERROR and its last stream id; the session goes on reading for the open
     * streams, and closes once the last one has ended ({@link #streamFinished}).
     */
    @Override
    public void closeRequested() {
        goAway(ErrorCode.NO_ERROR, null);
    }

    /**
     * The connection ends: the open streams are reset, and the session's close sequence (its
     * DISCONNECTED) waits until their handlers have returned and posted their last events, as an
     * HTTP/1.1 session's close follows its handler. A handler blocked in a read or a flow-control
     * wait wakes at once to the reset, one blocked in a socket write within the send timeout. The
     * wait is bounded by twice the send timeout: a handler busy elsewhere past that (an async
     * request not completed yet, a long computation) finishes after DISCONNECTED. A stop without
     * grace (or past it) abandons the streams in flight: their handlers are interrupted, as a stop
     * interrupts an HTTP/1.1 handler, and not waited for.
     */
    @Override
    public void ended() {
        try {
            writer.flushPending(); // a batch whose flusher has not run yet goes before the close
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> connection + ": pending frames not sent: " + e);
        }
        if (!connection.session().isOpen()) {
            // closed from outside (a stop without grace, the end of a grace period, an LRU purge):
            // the client still learns which streams were processed before the connection goes
            goAway(ErrorCode.NO_ERROR, null);
        }
        lock.lock();
        try {
            ended = true;
            for (Http2Stream stream : streams.active()) {
                stream.resetLocally();
            }
            changed.signalAll();
            if (connection.serverStopping()) {
                handlers.forEach(Thread::interrupt);
            } else {
                awaitHandlers(System.nanoTime() + 2 * connection.timeouts().sendNanos());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits, holding the lock, until every stream handler has returned or {@code deadline}. */
    private void awaitHandlers(long deadline) {
        while (!handlers.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                int running = handlers.size();
                LOG.log(
                        Level.DEBUG,
                        () -> connection + ": " + running
                                + " HTTP/2 stream handler(s) still running as the connection ends;"
                                + " DISCONNECTED does not wait for them");
                return;
            }
            try {
                changed.awaitNanos(left);
            } catch (InterruptedException e) {
                // a stop aborting the session: it abandons the streams too
                handlers.forEach(Thread::interrupt);
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- for streams (under the lock unless said otherwise) ------------------------------------

    /**
     * Starts a stream's handler thread, counted until {@link #handlerReturned} so that the
     * connection's end waits for it. From the reader.
     */
    void startHandler(Thread thread) {
        lock.lock();
        try {
            handlers.add(thread);
        } finally {
            lock.unlock();
        }
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            lock.lock();
            try {
                handlers.remove(thread);
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /** The calling stream thread is done, its last event posted; not holding the lock. */
    void handlerReturned() {
        lock.lock();
        try {
            if (handlers.remove(Thread.currentThread()) && handlers.isEmpty()) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The connection's send window. */
    FlowWindow connectionSend() {
        return connectionSend;
    }

    /** Whether the connection ended: its streams can write nothing more. */
    boolean isEnded() {
        return ended;
    }

    /**
     * A stream's handler has finished and its stream is closed: after our GOAWAY the last one to
     * finish closes the connection, whose session may be waiting for frames. From the stream's
     * thread, not holding the lock.
     */
    void streamFinished() {
        boolean none;
        lock.lock();
        try {
            none = streams.activeCount() == 0;
            if (none) {
                quietSince = System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
        if (none && (goAwayWritten || connection.closing())) {
            connection.session().triggerClose();
        }
    }

    /** Forgets a stream both sides have closed. */
    void closeIfDone(Http2Stream stream) {
        if (stream.lifecycle().state() == StreamState.CLOSED) {
            streams.remove(stream);
            changed.signalAll();
        }
    }

    /** What our RST_STREAM does to the state: the stream is closed, forgotten, its waiters woken. */
    void resetLocally(Http2Stream stream) {
        stream.lifecycle().sendRstStream();
        streams.remove(stream);
        stream.resetLocally();
        changed.signalAll();
    }

    /**
     * Resets a stream from its own thread (not holding the lock): a handler that left the request
     * body unread, a send blocked on flow control past the send timeout.
     */
    void reset(Http2Stream stream, ErrorCode code) {
        lock.lock();
        try {
            if (stream.lifecycle().state() == StreamState.CLOSED) {
                return;
            }
            resetLocally(stream);
        } finally {
            lock.unlock();
        }
        try {
            writer.rstStream(stream.id(), code);
        } catch (IOException e) {
            connection.logFailure("RST_STREAM " + stream.id(), e);
        }
    }

    // ---- errors ---------------------------------------------------------------------------------

    /** Sends GOAWAY once (a connection error, a stop, an idle timeout); new streams are refused. */
    private void goAway(ErrorCode code, String debug) {
        if (!goAwaySent.compareAndSet(false, true)) {
            return;
        }
        int last;
        List<Http2Stream> active;
        lock.lock();
        try {
            streams.goAway();
            last = streams.lastAcceptedStreamId();
            active = code == ErrorCode.NO_ERROR ? List.of() : new ArrayList<>(streams.active());
            for (Http2Stream stream : active) {
                stream.resetLocally();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            writer.goAway(last, code, debug);
        } catch (IOException e) {
            connection.logFailure("GOAWAY", e);
        } finally {
            goAwayWritten = true;
        }
    }

    @Override
    public String toString() {
        return "HTTP/2 " + connection;
    }
}
