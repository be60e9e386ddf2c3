package dev.httpsd.server.http2;

import java.io.IOException;
import java.util.List;

/**
 * Receives the frames {@link FrameReader} read and checked against the fixed rules of RFC 9113
 * §6 (sizes, stream 0 or not, padding, setting ranges). What depends on the connection's state
 * (stream states, flow control, what a header block means) is the handler's to check.
 *
 * <p>Byte ranges are views of the reader's buffer, valid until the next {@link
 * FrameReader#readFrame} call: copy what must outlive it.
 */
interface FrameHandler {

    /**
     * A DATA frame (§6.1), its padding removed.
     *
     * @param flowControlled the frame's whole payload length, padding included, which counts
     *     against the flow-control windows (§6.9)
     */
    void data(int streamId, boolean endStream, byte[] data, int offset, int length, int flowControlled)
            throws Http2Exception, IOException;

    /**
     * A complete field block: a HEADERS frame (§6.2) with END_HEADERS, or a HEADERS frame and its
     * CONTINUATION frames (§6.10) joined. It must be decoded whatever happens to the stream, to keep
     * the HPACK state in step (§4.3).
     *
     * @param streamDependency the RFC 7540 dependency when the PRIORITY flag was set, else -1;
     *     RFC 9113 §5.3.1 still makes a stream depending on itself a stream error
     */
    void headers(int streamId, boolean endStream, int streamDependency, byte[] block, int offset, int length)
            throws Http2Exception, IOException;

    /** A PRIORITY frame (§6.3). Priorities may be ignored (§5.3); the frame is checked all the same. */
    default void priority(int streamId, int streamDependency, int weight, boolean exclusive)
            throws Http2Exception, IOException {}

    /** RST_STREAM (§6.4) with the peer's error code as sent (unknown codes are legal, §7). */
    void rstStream(int streamId, long errorCode) throws Http2Exception, IOException;

    /** A SETTINGS frame (§6.5) without ACK: parameters in order, each in range, unknown ones left out. */
    void settings(List<Setting> settings) throws Http2Exception, IOException;

    /** The peer acknowledged our SETTINGS (§6.5.3). */
    void settingsAck() throws Http2Exception, IOException;

    /** PING (§6.7): its 8 octets as a number; {@code ack} for an answer to our PING. */
    void ping(long payload, boolean ack) throws Http2Exception, IOException;

    /** GOAWAY (§6.8). */
    void goAway(int lastStreamId, long errorCode, byte[] debugData, int offset, int length)
            throws Http2Exception, IOException;

    /** WINDOW_UPDATE (§6.9) with a non-zero increment; stream 0 is the connection. */
    void windowUpdate(int streamId, int increment) throws Http2Exception, IOException;

    /** A frame of a type RFC 9113 does not define, which §5.5 says to ignore; its payload was skipped. */
    default void unknownFrame(int type, int flags, int streamId, int length) throws Http2Exception, IOException {}
}
