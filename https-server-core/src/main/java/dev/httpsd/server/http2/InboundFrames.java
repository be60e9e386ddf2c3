package dev.httpsd.server.http2;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.EventSink;
import dev.httpsd.server.Http2Config;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.HttpSession;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What each frame from the client does to the connection (RFC 9113 §6): HEADERS decoded through
 * the connection's HPACK table and opening or ending streams, DATA into the streams' bodies and the
 * connection's receive window, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE, and the flood
 * budgets every frame is counted against. Runs on the reader (the session's thread); the state it
 * shares with the streams is guarded by the connection's lock. A stream error found here resets
 * that stream ({@link #streamError}); a connection error is thrown to {@link Http2Protocol}.
 */
final class InboundFrames implements FrameHandler {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final Http2Protocol protocol;
    private final ConnectionContext connection;
    private final ReentrantLock lock;
    private final Condition changed;
    private final StreamRegistry<Http2Stream> streams;
    private final Http2Settings ours;
    private final HpackDecoder decoder;
    private final ReceiveWindow connectionReceive;
    private final FloodGuard flood;
    private Http2Settings peer = Http2Settings.DEFAULTS;
    private boolean peerGoingAway;

    InboundFrames(Http2Protocol protocol, StreamRegistry<Http2Stream> streams) {
        this.protocol = protocol;
        this.connection = protocol.connection;
        this.lock = protocol.lock;
        this.changed = protocol.changed;
        this.streams = streams;
        Http2Config config = connection.config().http2();
        this.ours = new Http2Settings(
                HpackEncoder.DEFAULT_TABLE_SIZE,
                false,
                config.maxConcurrentStreams(),
                config.initialWindowSize(),
                config.maxFrameSize(),
                config.maxHeaderListSize());
        this.decoder = new HpackDecoder(
                HpackEncoder.DEFAULT_TABLE_SIZE,
                config.maxHeaderListSize(),
                Math.max(HpackEncoder.DEFAULT_TABLE_SIZE, config.maxHeaderListSize()));
        this.connectionReceive = new ReceiveWindow(
                0,
                Http2Settings.DEFAULT_WINDOW_SIZE,
                Math.max(Http2Settings.DEFAULT_WINDOW_SIZE, config.initialWindowSize()));
        this.flood = new FloodGuard(FloodGuard.Limits.of(config), System::nanoTime);
    }

    /** Our preface: SETTINGS, and the connection window raised to what we announce. */
    void sendPreface() throws IOException {
        int increment;
        lock.lock();
        try {
            increment = connectionReceive.initialIncrement();
        } finally {
            lock.unlock();
        }
        protocol.writer.preface(ours, increment);
    }

    /** Whether the client sent GOAWAY: no new streams come, the connection ends with its last. */
    boolean peerGoingAway() {
        return peerGoingAway;
    }

    @Override
    public void headers(int streamId, boolean endStream, int streamDependency, byte[] block, int offset, int length)
            throws Http2Exception, IOException {
        Http2Stream existing;
        lock.lock();
        try {
            existing = streams.get(streamId);
        } finally {
            lock.unlock();
        }
        RequestFields fields = existing == null ? RequestFields.request(streamId) : RequestFields.trailers(streamId);
        boolean tooLarge = false;
        try {
            // decoded whatever becomes of the stream, to keep the table in step (§4.3)
            decoder.decode(block, offset, length, fields);
        } catch (HeaderListSizeException e) {
            tooLarge = true;
        }
        Http2Stream stream;
        lock.lock();
        try {
            stream = streams.acceptHeaders(
                    streamId,
                    endStream,
                    streamDependency,
                    id -> new Http2Stream(protocol, id, peer.initialWindowSize(), ours.initialWindowSize()));
            if (stream == null) {
                return;
            }
            if (stream == existing) {
                if (tooLarge) {
                    throw new Http2StreamException(streamId, ErrorCode.PROTOCOL_ERROR, "trailers too large");
                }
                fields.trailerFields();
                stream.bodyEnded();
                protocol.closeIfDone(stream);
                changed.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        if (tooLarge) {
            stream.start(null, endStream);
            return;
        }
        Http2RequestHead head = fields.request();
        lock.lock();
        try {
            stream.lifecycle().expectContentLength(head.contentLength());
        } finally {
            lock.unlock();
        }
        EventSink events = connection.events();
        if (events.enabled()) {
            HttpSession session = connection.session();
            events.post(new HttpServerEvent.OnHeader(session.id(), session.remoteAddress(), streamId));
        }
        stream.start(head, endStream);
    }

    @Override
    public void data(int streamId, boolean endStream, byte[] data, int offset, int length, int flowControlled)
            throws Http2Exception, IOException {
        int connectionIncrement;
        int streamIncrement = 0;
        lock.lock();
        try {
            connectionReceive.receive(flowControlled);
            if (length == 0 && !endStream) {
                flood.emptyFrame();
            }
            Http2Stream stream;
            try {
                stream = streams.streamFor(FrameType.DATA, streamId);
            } finally {
                // the body waits in the stream's buffer, bounded by the stream's window: the
                // connection's credit goes back at once, so one slow handler stalls only its stream
                connectionIncrement = connectionReceive.release(flowControlled);
            }
            if (stream != null) {
                stream.lifecycle().receiveData(length, flowControlled, endStream);
                streamIncrement = stream.received(data, offset, length, flowControlled - length, endStream);
                protocol.closeIfDone(stream);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (connectionIncrement > 0) {
            protocol.writer.windowUpdate(0, connectionIncrement);
        }
        if (streamIncrement > 0 && !endStream) {
            protocol.writer.windowUpdate(streamId, streamIncrement);
        }
    }

    @Override
    public void priority(int streamId, int streamDependency, int weight, boolean exclusive) throws Http2Exception {
        lock.lock();
        try {
            flood.emptyFrame();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rstStream(int streamId, long errorCode) throws Http2Exception {
        lock.lock();
        try {
            Http2Stream stream = streams.streamFor(FrameType.RST_STREAM, streamId);
            if (stream != null) {
                connection.http2Statistics().countResetReceived(errorCode);
                stream.lifecycle().receiveRstStream();
                streams.remove(stream);
                stream.resetByPeer(ErrorCode.of(errorCode));
                changed.signalAll();
                flood.streamReset();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void settings(List<Setting> settings) throws Http2Exception, IOException {
        Http2Settings now;
        lock.lock();
        try {
            flood.settingsFrame();
            int oldWindow = peer.initialWindowSize();
            peer = peer.apply(settings);
            streams.applyInitialWindowSize(oldWindow, peer.initialWindowSize());
            now = peer;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        protocol.writer.peerSettings(now);
    }

    @Override
    public void settingsAck() {
        // our settings hold from the start: we announce limits, never tighten them later
    }

    @Override
    public void ping(long payload, boolean ack) throws Http2Exception, IOException {
        if (ack) {
            return;
        }
        lock.lock();
        try {
            flood.pingFrame();
        } finally {
            lock.unlock();
        }
        protocol.writer.pingAck(payload);
    }

    @Override
    public void goAway(int lastStreamId, long errorCode, byte[] debugData, int offset, int length) {
        LOG.log(Level.DEBUG, () -> connection + ": client GOAWAY " + ErrorCode.of(errorCode));
        lock.lock();
        try {
            peerGoingAway = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void windowUpdate(int streamId, int increment) throws Http2Exception {
        lock.lock();
        try {
            if (streamId == 0) {
                protocol.connectionSend().increase(increment);
            } else {
                Http2Stream stream = streams.streamFor(FrameType.WINDOW_UPDATE, streamId);
                if (stream != null) {
                    stream.lifecycle().receiveWindowUpdate(increment);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void unknownFrame(int type, int flags, int streamId, int length) throws Http2Exception {
        lock.lock();
        try {
            flood.emptyFrame();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A stream error in a frame from the client: RST_STREAM with its code; the connection goes on,
     * unless the resets the client causes add up to a flood.
     */
    void streamError(Http2StreamException e) throws IOException, Http2ConnectionException {
        LOG.log(Level.DEBUG, () -> connection + ": HTTP/2 stream error " + e);
        lock.lock();
        try {
            Http2Stream stream = streams.get(e.streamId());
            if (stream != null) {
                protocol.resetLocally(stream);
            }
        } finally {
            lock.unlock();
        }
        protocol.writer.rstStream(e.streamId(), e.code());
        lock.lock();
        try {
            // every RST_STREAM the client makes us write counts: a stream of them is a flood
            flood.streamReset();
        } finally {
            lock.unlock();
        }
    }
}
