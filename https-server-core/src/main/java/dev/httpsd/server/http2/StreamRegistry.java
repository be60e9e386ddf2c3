package dev.httpsd.server.http2;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The streams of one connection and the rules that depend on a stream's identifier rather than its
 * own state (RFC 9113 §5.1, §5.1.1, §5.1.2, §5.3.1, §6.8): which frames open a stream, which are
 * dropped, which are errors.
 *
 * <table>
 *   <caption>A frame for a stream that is not active</caption>
 *   <tr><th>frame</th><th>idle (above the last id, or even)</th><th>closed</th><th>reset by us, recently</th></tr>
 *   <tr><td>HEADERS</td><td>opens it (odd ids only, else PROTOCOL_ERROR)</td>
 *       <td>connection error STREAM_CLOSED; PROTOCOL_ERROR if never used (§5.1.1)</td><td>dropped</td></tr>
 *   <tr><td>DATA</td><td>connection error PROTOCOL_ERROR</td><td>stream error STREAM_CLOSED</td><td>dropped</td></tr>
 *   <tr><td>RST_STREAM, WINDOW_UPDATE</td><td>connection error PROTOCOL_ERROR</td><td>dropped</td><td>dropped</td></tr>
 *   <tr><td>PRIORITY</td><td>allowed</td><td>allowed</td><td>allowed</td></tr>
 * </table>
 *
 * <p>A new stream beyond our SETTINGS_MAX_CONCURRENT_STREAMS is refused (stream error
 * REFUSED_STREAM, which the client may retry, §5.1.2, §8.7); so is one opened after our GOAWAY
 * (§6.8). Both, like a stream depending on itself (§5.3.1), still use up the identifier.
 * Closed streams are remembered in a bounded ring, newest first: beyond it a closed stream that
 * we reset is treated like any closed stream (§5.1 lets an endpoint limit how long it ignores
 * frames), and one never used is told apart from one used only while it is remembered.
 *
 * <p>Generic in the connection's stream type, which gives access to its {@link StreamLifecycle}.
 * Not thread-safe: the connection's reader drives it, under the connection's lock when the writer
 * closes streams too.
 */
final class StreamRegistry<S extends StreamRegistry.Member> {

    /** A stream as the connection keeps it. */
    interface Member {
        StreamLifecycle lifecycle();
    }

    private static final int RESET_LOCALLY = 1;

    private final Map<Integer, S> active = new HashMap<>();
    private final long maxConcurrentStreams;
    /** Closed stream ids, shifted left by one, with RESET_LOCALLY in the low bit; a ring. */
    private final int[] recentlyClosed;

    private int recentlyClosedNext;
    private int highestStreamId;
    private int lastAcceptedStreamId;
    private boolean goingAway;

    /**
     * @param maxConcurrentStreams our SETTINGS_MAX_CONCURRENT_STREAMS
     * @param closedStreamMemory how many closed streams to remember
     */
    StreamRegistry(long maxConcurrentStreams, int closedStreamMemory) {
        if (closedStreamMemory < 1) {
            throw new IllegalArgumentException("closed stream memory " + closedStreamMemory);
        }
        this.maxConcurrentStreams = maxConcurrentStreams;
        this.recentlyClosed = new int[closedStreamMemory];
    }

    S get(int streamId) {
        return active.get(streamId);
    }

    int activeCount() {
        return active.size();
    }

    /** The active streams, for settings changes and shutdown; a live view. */
    Collection<S> active() {
        return Collections.unmodifiableCollection(active.values());
    }

    /** The highest stream id the client used. */
    int highestStreamId() {
        return highestStreamId;
    }

    /** The last stream we accepted, which our GOAWAY names (§6.8). */
    int lastAcceptedStreamId() {
        return lastAcceptedStreamId;
    }

    /** After our GOAWAY: streams the client opens from now on are dropped. */
    void goAway() {
        goingAway = true;
    }

    /**
     * A HEADERS frame whose field block was decoded (§4.3 requires decoding it whatever happens).
     *
     * @param newStream makes the stream for an id the client opens
     * @return the stream the block belongs to (a new one, or an active one for trailers), or null
     *     when it is to be dropped
     * @throws Http2StreamException when the stream is refused, depends on itself, or its trailers are
     *     illegal; a refused or self-dependent new stream counts as reset by us
     */
    S acceptHeaders(int streamId, boolean endStream, int streamDependency, IntFunction<S> newStream)
            throws Http2Exception {
        S stream = active.get(streamId);
        if (stream != null) {
            if (streamDependency == streamId) {
                throw selfDependency(streamId);
            }
            stream.lifecycle().receiveHeaders(endStream);
            return stream;
        }
        if ((streamId & 1) == 0) {
            throw new Http2ConnectionException(
                    ErrorCode.PROTOCOL_ERROR, "HEADERS on stream " + streamId + ": client streams are odd-numbered");
        }
        if (streamId <= highestStreamId) {
            return closedStream(FrameType.HEADERS, streamId);
        }
        highestStreamId = streamId;
        if (goingAway) {
            // refused rather than silently dropped (§6.8 allows either): the client learns at once
            // that it may retry on a new connection, instead of waiting for this one to close
            remember(streamId, true);
            throw new Http2StreamException(
                    streamId,
                    ErrorCode.REFUSED_STREAM,
                    "stream " + streamId + " refused: the connection is going away");
        }
        if (streamDependency == streamId) {
            remember(streamId, true);
            throw selfDependency(streamId);
        }
        if (active.size() >= maxConcurrentStreams) {
            remember(streamId, true);
            throw new Http2StreamException(
                    streamId,
                    ErrorCode.REFUSED_STREAM,
                    "stream " + streamId + " refused: " + maxConcurrentStreams + " streams are open");
        }
        stream = newStream.apply(streamId);
        stream.lifecycle().receiveHeaders(endStream);
        active.put(streamId, stream);
        lastAcceptedStreamId = streamId;
        return stream;
    }

    /**
     * A DATA, RST_STREAM or WINDOW_UPDATE frame on a stream (not stream 0).
     *
     * @return the active stream it belongs to, or null when it is to be dropped (DATA still counts
     *     against the connection window)
     */
    S streamFor(int frameType, int streamId) throws Http2Exception {
        S stream = active.get(streamId);
        if (stream != null) {
            return stream;
        }
        if ((streamId & 1) == 0 || streamId > highestStreamId) {
            throw new Http2ConnectionException(
                    ErrorCode.PROTOCOL_ERROR, FrameType.name(frameType) + " on idle stream " + streamId);
        }
        return closedStream(frameType, streamId);
    }

    /** Forgets a stream that reached {@link StreamState#CLOSED}, remembering how it closed. */
    void remove(S stream) {
        StreamLifecycle lifecycle = stream.lifecycle();
        if (active.remove(lifecycle.id()) != null) {
            remember(lifecycle.id(), lifecycle.resetLocally());
        }
    }

    /**
     * Applies a change of the peer's SETTINGS_INITIAL_WINDOW_SIZE to every active stream's send
     * window (§6.9.2).
     */
    void applyInitialWindowSize(int oldSize, int newSize) throws Http2ConnectionException {
        long delta = (long) newSize - oldSize;
        if (delta == 0) {
            return;
        }
        for (S stream : active.values()) {
            stream.lifecycle().sendWindow().adjust(delta);
        }
    }

    private S closedStream(int frameType, int streamId) throws Http2Exception {
        int remembered = lookup(streamId);
        if (remembered == RESET_LOCALLY) {
            return null;
        }
        switch (frameType) {
            case FrameType.DATA ->
                throw new Http2StreamException(streamId, ErrorCode.STREAM_CLOSED, "DATA on closed stream " + streamId);
            case FrameType.HEADERS -> {
                if (remembered < 0) {
                    throw new Http2ConnectionException(
                            ErrorCode.PROTOCOL_ERROR,
                            "HEADERS on stream " + streamId + " after stream " + highestStreamId
                                    + " (stream ids must increase)");
                }
                throw new Http2ConnectionException(ErrorCode.STREAM_CLOSED, "HEADERS on closed stream " + streamId);
            }
            default -> {
                // RST_STREAM and WINDOW_UPDATE may cross our END_STREAM or RST_STREAM (§5.1)
                return null;
            }
        }
    }

    private static Http2StreamException selfDependency(int streamId) {
        return new Http2StreamException(
                streamId, ErrorCode.PROTOCOL_ERROR, "stream " + streamId + " depends on itself");
    }

    private void remember(int streamId, boolean resetLocally) {
        recentlyClosed[recentlyClosedNext] = (streamId << 1) | (resetLocally ? RESET_LOCALLY : 0);
        recentlyClosedNext = (recentlyClosedNext + 1) % recentlyClosed.length;
    }

    /** RESET_LOCALLY or 0 for a remembered closed stream, -1 for one not remembered. */
    private int lookup(int streamId) {
        for (int entry : recentlyClosed) {
            if (entry >>> 1 == streamId && entry != 0) {
                return entry & RESET_LOCALLY;
            }
        }
        return -1;
    }
}
