package dev.httpsd.server.http2;

import static dev.httpsd.server.http2.Frames.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stream states and identifiers (RFC 9113 §5.1, §5.1.1, §5.1.2, §5.3.1), content-length (§8.1.1)
 * and trailers (§8.1), played from a client's bytes through {@link ScriptedConnection}, which
 * wires the codec as the connection will. The h2spec cases they answer:
 *
 * <ul>
 *   <li>http2/5.1/1–4 (idle: DATA, RST_STREAM, WINDOW_UPDATE, CONTINUATION) — {@link #framesOnAnIdleStreamAreConnectionErrors};
 *   <li>http2/5.1/5–7 (half-closed (remote): DATA, HEADERS, CONTINUATION) — {@link #dataOrHeadersAfterTheClientEndedTheStreamAreStreamClosed};
 *   <li>http2/5.1/8–10 (closed after RST_STREAM) — {@link #framesAfterTheClientResetAStreamAreStreamClosed};
 *   <li>http2/5.1/11–13 (closed after END_STREAM both ways), 6.1/2 — {@link #framesOnAStreamClosedNormallyAreStreamClosed};
 *   <li>http2/5.1.1/1, /2 — {@link #streamIdsMustBeOddAndIncreasing};
 *   <li>http2/5.1.2/1 — {@link #streamsBeyondTheConcurrencyLimitAreRefused};
 *   <li>http2/5.3.1/1 — {@link #headersDependingOnTheirOwnStreamAreAStreamError};
 *   <li>http2/6.4/2 — {@link #framesOnAnIdleStreamAreConnectionErrors};
 *   <li>http2/8.1/1 — {@link #aSecondHeadersWithoutEndStreamIsMalformed};
 *   <li>http2/8.1.2.6/1, /2 (RFC 7540 numbering) — {@link #aBodyThatDisagreesWithContentLengthIsMalformed};
 *   <li>generic/4 (GET, POST with body and trailers) — {@link #aRequestWithBodyAndTrailersIsServed}.
 * </ul>
 */
class StreamRulesTest {

    @Test
    void aRequestWithBodyAndTrailersIsServed() throws Exception {
        byte[] bytes = client().request(1, "POST", "/upload", false, "content-length", "5")
                .data(1, "he", false)
                .data(1, "llo", false)
                .then(o -> {
                    byte[] trailers = Frames.trailerBlock("x-sum", "42");
                    FrameWriter.headers(o, 1, trailers, 0, trailers.length, true, 16_384);
                })
                .request(3, "GET", "/", true)
                .bytes();
        assertThat(new ScriptedConnection().run(bytes))
                .containsExactly(
                        "SETTINGS ack",
                        "request 1 POST /upload",
                        "body 1 he",
                        "body 1 llo",
                        "trailers 1 [x-sum: 42]",
                        "response 1",
                        "request 3 GET /",
                        "response 3");
    }

    @Test
    void framesOnAnIdleStreamAreConnectionErrors() throws Exception {
        assertThat(play(client().data(1, "x", true))).containsExactly("SETTINGS ack", "GOAWAY 0 PROTOCOL_ERROR");
        assertThat(play(client().raw(FrameType.RST_STREAM, 0, 1, "00000008")))
                .containsExactly("SETTINGS ack", "GOAWAY 0 PROTOCOL_ERROR");
        assertThat(play(client().raw(FrameType.WINDOW_UPDATE, 0, 1, "00000001")))
                .containsExactly("SETTINGS ack", "GOAWAY 0 PROTOCOL_ERROR");
        assertThat(play(client().continuation(1, "82", true)))
                .containsExactly("SETTINGS ack", "GOAWAY 0 PROTOCOL_ERROR");
        // an even stream is one the server would have opened: idle forever
        assertThat(play(client().request(1, "GET", "/", true).data(2, "x", true)))
                .endsWith("GOAWAY 1 PROTOCOL_ERROR");
        // PRIORITY is the one frame an idle stream may receive, and it opens nothing
        assertThat(play(client().then(o -> FrameWriter.priority(o, 5, 0, 16, false))
                        .request(3, "GET", "/", true)))
                .containsExactly("SETTINGS ack", "request 3 GET /", "response 3");
    }

    @Test
    void dataOrHeadersAfterTheClientEndedTheStreamAreStreamClosed() throws Exception {
        ScriptedConnection waiting = new ScriptedConnection();
        waiting.respond = false;
        assertThat(waiting.run(client().request(1, "GET", "/", true)
                        .data(1, "x", true)
                        .ping(1)
                        .bytes()))
                .containsExactly("SETTINGS ack", "request 1 GET /", "RST_STREAM 1 STREAM_CLOSED", "PING ack 1");

        ScriptedConnection headers = new ScriptedConnection();
        headers.respond = false;
        assertThat(headers.run(client().request(1, "GET", "/", true)
                        .request(1, "GET", "/", true)
                        .bytes()))
                .containsExactly("SETTINGS ack", "request 1 GET /", "RST_STREAM 1 STREAM_CLOSED");

        ScriptedConnection continuation = new ScriptedConnection();
        continuation.respond = false;
        assertThat(continuation.run(client().request(1, "GET", "/", true)
                        .continuation(1, "82", true)
                        .bytes()))
                .containsExactly("SETTINGS ack", "request 1 GET /", "GOAWAY 1 PROTOCOL_ERROR");
    }

    @Test
    void framesAfterTheClientResetAStreamAreStreamClosed() throws Exception {
        Frames reset = client().request(1, "POST", "/", false).raw(FrameType.RST_STREAM, 0, 1, "00000008");
        assertThat(play(reset)).containsExactly("SETTINGS ack", "request 1 POST /", "reset by client 1");
        assertThat(play(client().request(1, "POST", "/", false)
                        .raw(FrameType.RST_STREAM, 0, 1, "00000008")
                        .data(1, "x", true)
                        .ping(2)))
                .endsWith("RST_STREAM 1 STREAM_CLOSED", "PING ack 2");
        assertThat(play(client().request(1, "POST", "/", false)
                        .raw(FrameType.RST_STREAM, 0, 1, "00000008")
                        .request(1, "GET", "/", true)))
                .endsWith("GOAWAY 1 STREAM_CLOSED");
        assertThat(play(client().request(1, "POST", "/", false)
                        .raw(FrameType.RST_STREAM, 0, 1, "00000008")
                        .continuation(1, "82", true)))
                .endsWith("GOAWAY 1 PROTOCOL_ERROR");
        // a late RST_STREAM or WINDOW_UPDATE on the closed stream is no error
        assertThat(play(client().request(1, "POST", "/", false)
                        .raw(FrameType.RST_STREAM, 0, 1, "00000008")
                        .raw(FrameType.RST_STREAM, 0, 1, "00000008")
                        .raw(FrameType.WINDOW_UPDATE, 0, 1, "00000001")
                        .ping(3)))
                .endsWith("reset by client 1", "PING ack 3");
    }

    @Test
    void framesOnAStreamClosedNormallyAreStreamClosed() throws Exception {
        assertThat(play(client().request(1, "GET", "/", true).data(1, "x", true).ping(4)))
                .containsExactly(
                        "SETTINGS ack", "request 1 GET /", "response 1", "RST_STREAM 1 STREAM_CLOSED", "PING ack 4");
        assertThat(play(client().request(1, "GET", "/", true).request(1, "GET", "/", true)))
                .endsWith("GOAWAY 1 STREAM_CLOSED");
        assertThat(play(client().request(1, "GET", "/", true)
                        .raw(FrameType.WINDOW_UPDATE, 0, 1, "00000001")
                        .ping(5)))
                .endsWith("response 1", "PING ack 5");
    }

    @Test
    void framesOnAStreamWeResetAreDroppedQuietly() throws Exception {
        // the request is malformed, so we reset it; the client's DATA crossed our RST_STREAM
        Frames frames = client().request(1, "POST", "/", false, "connection", "close")
                .data(1, "late", false)
                .then(o -> {
                    byte[] trailers = Frames.trailerBlock("x-late", "1");
                    FrameWriter.headers(o, 1, trailers, 0, trailers.length, true, 16_384);
                })
                .ping(6);
        assertThat(play(frames))
                .containsExactly(
                        "SETTINGS ack",
                        "RST_STREAM 1 PROTOCOL_ERROR",
                        "dropped DATA 1",
                        "dropped HEADERS 1",
                        "PING ack 6");
    }

    @Test
    void streamIdsMustBeOddAndIncreasing() throws Exception {
        assertThat(play(client().request(2, "GET", "/", true)))
                .containsExactly("SETTINGS ack", "GOAWAY 0 PROTOCOL_ERROR");
        assertThat(play(client().request(5, "GET", "/", true).request(3, "GET", "/", true)))
                .containsExactly("SETTINGS ack", "request 5 GET /", "response 5", "GOAWAY 5 PROTOCOL_ERROR");
    }

    @Test
    void streamsBeyondTheConcurrencyLimitAreRefused() throws Exception {
        ScriptedConnection connection = new ScriptedConnection(
                new Http2Settings(4096, false, 2, 65_535, 16_384, 16_384), FloodGuard.Limits.DEFAULTS);
        connection.respond = false;
        List<String> log = connection.run(client().request(1, "GET", "/", true)
                .request(3, "GET", "/", true)
                .request(5, "GET", "/", true)
                .data(5, "x", true)
                .bytes());
        assertThat(log)
                .containsExactly(
                        "SETTINGS ack",
                        "request 1 GET /",
                        "request 3 GET /",
                        "RST_STREAM 5 REFUSED_STREAM",
                        "dropped DATA 5");
    }

    @Test
    void headersDependingOnTheirOwnStreamAreAStreamError() throws Exception {
        byte[] block = Frames.block("GET", "/");
        byte[] payload = new byte[5 + block.length];
        payload[3] = 3;
        System.arraycopy(block, 0, payload, 5, block.length);
        assertThat(play(client().raw(
                                FrameType.HEADERS,
                                FrameType.FLAG_PRIORITY | FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM,
                                3,
                                payload)
                        .request(5, "GET", "/", true)))
                .containsExactly("SETTINGS ack", "RST_STREAM 3 PROTOCOL_ERROR", "request 5 GET /", "response 5");
    }

    @Test
    void aSecondHeadersWithoutEndStreamIsMalformed() throws Exception {
        ScriptedConnection connection = new ScriptedConnection();
        assertThat(connection.run(client().request(1, "POST", "/", false)
                        .then(o -> {
                            byte[] trailers = Frames.trailerBlock("x-a", "1");
                            FrameWriter.headers(o, 1, trailers, 0, trailers.length, false, 16_384);
                        })
                        .bytes()))
                .containsExactly("SETTINGS ack", "request 1 POST /", "RST_STREAM 1 PROTOCOL_ERROR");
    }

    @Test
    void aBodyThatDisagreesWithContentLengthIsMalformed() throws Exception {
        assertThat(play(client().request(1, "POST", "/", false, "content-length", "1")
                        .data(1, "ab", true)))
                .containsExactly("SETTINGS ack", "request 1 POST /", "RST_STREAM 1 PROTOCOL_ERROR");
        assertThat(play(client().request(1, "POST", "/", false, "content-length", "4")
                        .data(1, "ab", false)
                        .data(1, "c", true)))
                .containsExactly("SETTINGS ack", "request 1 POST /", "body 1 ab", "RST_STREAM 1 PROTOCOL_ERROR");
        assertThat(play(client().request(1, "POST", "/", true, "content-length", "3")))
                .containsExactly("SETTINGS ack", "RST_STREAM 1 PROTOCOL_ERROR");
    }

    @Test
    void aHeaderListAboveTheLimitAnswers431AndKeepsTheConnection() throws Exception {
        assertThat(play(client().request(1, "GET", "/", true, "x-big", "b".repeat(20_000))
                        .request(3, "GET", "/", true)))
                .containsExactly("SETTINGS ack", "431 1", "response 1", "request 3 GET /", "response 3");
    }

    @Test
    void creditReturnsAsTheHandlerReadsSoTheClientMayGoOnSending() throws Exception {
        // h2spec generic/4 (POST with a large body): four frames are one octet more than a 65,535 window
        String chunk = "d".repeat(16_384);
        Frames frames = client().request(1, "POST", "/", false)
                .data(1, chunk, false)
                .data(1, chunk, false)
                .data(1, chunk, false)
                .data(1, chunk, true);
        List<String> log = new ScriptedConnection().run(frames.bytes());
        assertThat(log)
                .filteredOn(line -> line.startsWith("WINDOW_UPDATE"))
                .containsExactly("WINDOW_UPDATE 0 32768", "WINDOW_UPDATE 1 32768", "WINDOW_UPDATE 0 32768");
        assertThat(log).last().isEqualTo("response 1");
    }

    @Test
    void dataBeyondAStalledStreamsWindowIsAStreamFlowControlError() throws Exception {
        String chunk = "d".repeat(16_384);
        ScriptedConnection stalled = new ScriptedConnection();
        stalled.read = false;
        List<String> log = stalled.run(client().request(1, "POST", "/", false)
                .data(1, chunk, false)
                .data(1, chunk, false)
                .data(1, chunk, false)
                .data(1, chunk, false)
                .request(3, "GET", "/", true)
                .bytes());
        assertThat(log).contains("RST_STREAM 1 FLOW_CONTROL_ERROR").endsWith("request 3 GET /", "response 3");
    }

    @Test
    void theRegistryRefusesNothingItShouldAccept() throws Exception {
        StreamRegistry<StreamLifecycle> streams = new StreamRegistry<>(1, 4);
        StreamLifecycle one = streams.acceptHeaders(1, true, -1, id -> new StreamLifecycle(id, 65_535, 65_535));
        assertThatThrownBy(() -> streams.acceptHeaders(3, true, -1, id -> new StreamLifecycle(id, 65_535, 65_535)))
                .isInstanceOfSatisfying(
                        Http2StreamException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REFUSED_STREAM));
        one.sendHeaders(true);
        streams.remove(one);
        assertThat(streams.acceptHeaders(5, true, -1, id -> new StreamLifecycle(id, 65_535, 65_535)))
                .isNotNull();
        assertThat(streams.lastAcceptedStreamId()).isEqualTo(5);
        streams.goAway();
        assertThatThrownBy(() -> streams.acceptHeaders(7, true, -1, id -> new StreamLifecycle(id, 65_535, 65_535)))
                .as("a stream opened after GOAWAY")
                .isInstanceOfSatisfying(
                        Http2StreamException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REFUSED_STREAM));
        assertThat(streams.streamFor(FrameType.DATA, 7))
                .as("DATA of a stream refused after GOAWAY")
                .isNull();
        assertThat(streams.lastAcceptedStreamId()).isEqualTo(5);
    }

    private static List<String> play(Frames frames) throws Exception {
        return new ScriptedConnection().run(frames.bytes());
    }
}
