package dev.httpsd.server.http2;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The codec's parts wired as the HTTP/2 connection will wire them, without threads or sockets: a
 * client's bytes go through the reader, field blocks through the HPACK decoder and request
 * validation, streams through the registry and their lifecycles, DATA through both receive
 * windows, and every frame through the flood guard. What the server would do is logged as lines
 * ("request 1 GET /", "RST_STREAM 3 STREAM_CLOSED", "GOAWAY 0 PROTOCOL_ERROR"); a stream error
 * resets that stream and reading goes on, a connection error ends it.
 *
 * <p>Connection-level credit is returned as DATA arrives (it lands in the stream's buffer), stream-level
 * credit as the stream's handler reads, so a stalled handler stops its own stream only. When
 * {@code respond} is on, a stream is answered (HEADERS with END_STREAM) as soon as its
 * request is complete, so it closes; otherwise it stays half-closed (remote).
 */
final class ScriptedConnection implements FrameHandler {

    final List<String> log = new ArrayList<>();
    final List<Http2RequestHead> requests = new ArrayList<>();
    final Http2Settings ours;
    final StreamRegistry<StreamLifecycle> streams;
    final HpackDecoder decoder;
    final ReceiveWindow connectionReceive = new ReceiveWindow(0, Http2Settings.DEFAULT_WINDOW_SIZE, 65_535);
    final FlowWindow connectionSend = new FlowWindow(0, Http2Settings.DEFAULT_WINDOW_SIZE);
    final FloodGuard flood;
    Http2Settings peer = Http2Settings.DEFAULTS;
    boolean respond = true;
    /** Whether the "handler" reads bodies at once, giving the stream's credit back. */
    boolean read = true;

    private long now;

    ScriptedConnection(Http2Settings ours, FloodGuard.Limits limits) {
        this.ours = ours;
        this.streams = new StreamRegistry<>(ours.maxConcurrentStreams(), 64);
        this.decoder = new HpackDecoder((int) ours.headerTableSize(), ours.maxHeaderListSize(), 65_536);
        this.flood = new FloodGuard(limits, () -> now);
    }

    ScriptedConnection() {
        this(new Http2Settings(4096, false, 100, 65_535, 16_384, 16_384), FloodGuard.Limits.DEFAULTS);
    }

    /** Plays the client's preface and {@code bytes}; returns the log. */
    List<String> run(byte[] bytes) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(concat(FrameReader.PREFACE, bytes));
        FrameReader reader = new FrameReader(in::read, ours.maxFrameSize(), new HeaderBlockAssembler(32_768, 8));
        try {
            reader.readPreface();
            while (true) {
                try {
                    if (!reader.readFrame(this)) {
                        break;
                    }
                } catch (Http2StreamException e) {
                    log.add("RST_STREAM " + e.streamId() + " " + e.code());
                    StreamLifecycle stream = streams.get(e.streamId());
                    if (stream != null) {
                        stream.sendRstStream();
                        streams.remove(stream);
                    }
                    // every RST_STREAM we must write counts, whoever's fault: a stream of them is a flood
                    flood.streamReset();
                }
            }
        } catch (Http2ConnectionException e) {
            log.add("GOAWAY " + streams.lastAcceptedStreamId() + " " + e.code());
        } catch (EOFException e) {
            log.add("EOF inside a frame");
        } catch (Http2Exception e) {
            throw new AssertionError(e);
        }
        return log;
    }

    @Override
    public void headers(int streamId, boolean endStream, int streamDependency, byte[] block, int offset, int length)
            throws Http2Exception {
        StreamLifecycle existing = streams.get(streamId);
        RequestFields fields = existing == null ? RequestFields.request(streamId) : RequestFields.trailers(streamId);
        boolean tooLarge = false;
        try {
            decoder.decode(block, offset, length, fields);
        } catch (HeaderListSizeException e) {
            tooLarge = true;
        }
        StreamLifecycle stream = streams.acceptHeaders(
                streamId,
                endStream,
                streamDependency,
                id -> new StreamLifecycle(id, peer.initialWindowSize(), ours.initialWindowSize()));
        if (stream == null) {
            log.add("dropped HEADERS " + streamId);
            return;
        }
        if (tooLarge) {
            log.add("431 " + streamId);
            respond(stream);
            return;
        }
        if (existing == null) {
            Http2RequestHead head = fields.request();
            stream.expectContentLength(head.contentLength());
            requests.add(head);
            log.add("request " + streamId + " " + head.method() + " " + head.path());
        } else {
            log.add("trailers " + streamId + " " + fields.trailerFields());
        }
        completeIfEnded(stream);
    }

    @Override
    public void data(int streamId, boolean endStream, byte[] data, int offset, int length, int flowControlled)
            throws Http2Exception {
        connectionReceive.receive(flowControlled);
        if (length == 0 && !endStream) {
            flood.emptyFrame();
        }
        StreamLifecycle stream;
        try {
            stream = streams.streamFor(FrameType.DATA, streamId);
        } finally {
            // DATA counts against the connection window even when it is dropped or refused (§6.9)
            creditConnection(flowControlled);
        }
        if (stream == null) {
            log.add("dropped DATA " + streamId);
            return;
        }
        stream.receiveData(length, flowControlled, endStream);
        log.add("body " + streamId + " " + new String(data, offset, length, StandardCharsets.ISO_8859_1));
        int increment = read ? stream.receiveWindow().release(flowControlled) : 0;
        if (increment > 0 && !endStream) {
            log.add("WINDOW_UPDATE " + streamId + " " + increment);
        }
        completeIfEnded(stream);
    }

    private void creditConnection(int flowControlled) {
        int increment = connectionReceive.release(flowControlled);
        if (increment > 0) {
            log.add("WINDOW_UPDATE 0 " + increment);
        }
    }

    private void completeIfEnded(StreamLifecycle stream) {
        if (respond && stream.state() == StreamState.HALF_CLOSED_REMOTE) {
            respond(stream);
        }
    }

    private void respond(StreamLifecycle stream) {
        stream.sendHeaders(true);
        log.add("response " + stream.id());
        if (stream.state() == StreamState.CLOSED) {
            streams.remove(stream);
        }
    }

    @Override
    public void priority(int streamId, int streamDependency, int weight, boolean exclusive) throws Http2Exception {
        flood.emptyFrame();
    }

    @Override
    public void rstStream(int streamId, long errorCode) throws Http2Exception {
        StreamLifecycle stream = streams.streamFor(FrameType.RST_STREAM, streamId);
        if (stream != null) {
            stream.receiveRstStream();
            streams.remove(stream);
            flood.streamReset();
            log.add("reset by client " + streamId);
        }
    }

    @Override
    public void settings(List<Setting> settings) throws Http2Exception {
        flood.settingsFrame();
        int oldWindow = peer.initialWindowSize();
        peer = peer.apply(settings);
        streams.applyInitialWindowSize(oldWindow, peer.initialWindowSize());
        log.add("SETTINGS ack");
    }

    @Override
    public void settingsAck() {
        log.add("SETTINGS acknowledged");
    }

    @Override
    public void ping(long payload, boolean ack) throws Http2Exception {
        if (!ack) {
            flood.pingFrame();
            log.add("PING ack " + payload);
        }
    }

    @Override
    public void goAway(int lastStreamId, long errorCode, byte[] debugData, int offset, int length) {
        log.add("client GOAWAY " + lastStreamId + " " + ErrorCode.of(errorCode));
    }

    @Override
    public void windowUpdate(int streamId, int increment) throws Http2Exception {
        if (streamId == 0) {
            connectionSend.increase(increment);
            return;
        }
        StreamLifecycle stream = streams.streamFor(FrameType.WINDOW_UPDATE, streamId);
        if (stream != null) {
            stream.receiveWindowUpdate(increment);
        }
    }

    @Override
    public void unknownFrame(int type, int flags, int streamId, int length) throws Http2Exception {
        flood.emptyFrame();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
