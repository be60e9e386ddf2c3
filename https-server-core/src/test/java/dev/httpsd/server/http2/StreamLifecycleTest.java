package dev.httpsd.server.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The transitions of RFC 9113 §5.1 for one stream, as {@link StreamState}'s diagram draws them. */
class StreamLifecycleTest {

    private final StreamLifecycle stream = new StreamLifecycle(1, 65_535, 65_535);

    @Test
    void aRequestWithABodyGoesOpenThenHalfClosedRemoteThenClosed() throws Exception {
        stream.receiveHeaders(false);
        assertThat(stream.state()).isEqualTo(StreamState.OPEN);
        stream.receiveData(3, 3, true);
        assertThat(stream.state()).isEqualTo(StreamState.HALF_CLOSED_REMOTE);
        stream.sendHeaders(false);
        stream.sendData(10, true);
        assertThat(stream.state()).isEqualTo(StreamState.CLOSED);
        assertThat(stream.resetLocally()).isFalse();
    }

    @Test
    void aResponseBeforeTheEndOfTheRequestGoesHalfClosedLocal() throws Exception {
        stream.receiveHeaders(false);
        stream.sendHeaders(true);
        assertThat(stream.state()).isEqualTo(StreamState.HALF_CLOSED_LOCAL);
        stream.receiveData(1, 1, false);
        stream.receiveHeaders(true);
        assertThat(stream.state()).isEqualTo(StreamState.CLOSED);
    }

    @Test
    void headersWithEndStreamGoStraightToHalfClosedRemote() throws Exception {
        stream.receiveHeaders(true);
        assertThat(stream.state()).isEqualTo(StreamState.HALF_CLOSED_REMOTE);
        assertThatThrownBy(() -> stream.receiveData(1, 1, true))
                .isInstanceOfSatisfying(
                        Http2StreamException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STREAM_CLOSED));
        assertThatThrownBy(() -> stream.receiveHeaders(true))
                .isInstanceOfSatisfying(
                        Http2StreamException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STREAM_CLOSED));
        stream.receiveWindowUpdate(100);
        assertThat(stream.sendWindow().available()).isEqualTo(65_635);
    }

    @Test
    void aResetFromEitherSideClosesTheStream() throws Exception {
        stream.receiveHeaders(false);
        stream.receiveRstStream();
        assertThat(stream.state()).isEqualTo(StreamState.CLOSED);
        assertThat(stream.resetLocally()).isFalse();

        StreamLifecycle ours = new StreamLifecycle(3, 65_535, 65_535);
        ours.receiveHeaders(false);
        ours.sendRstStream();
        assertThat(ours.state()).isEqualTo(StreamState.CLOSED);
        assertThat(ours.resetLocally()).isTrue();
        assertThatThrownBy(() -> ours.sendData(0, true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void contentLengthIsCheckedAgainstTheBodyAtItsEnd() throws Exception {
        stream.receiveHeaders(false);
        stream.expectContentLength(4);
        stream.receiveData(2, 2, false);
        assertThatThrownBy(() -> stream.receiveData(1, 1, true))
                .isInstanceOfSatisfying(
                        Http2StreamException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
                .hasMessage("malformed request: request body of 3 octets, content-length 4");

        StreamLifecycle over = new StreamLifecycle(3, 65_535, 65_535);
        over.receiveHeaders(false);
        over.expectContentLength(1);
        assertThatThrownBy(() -> over.receiveData(2, 2, false))
                .hasMessage("malformed request: DATA beyond content-length 1 (2 octets)");

        StreamLifecycle trailers = new StreamLifecycle(5, 65_535, 65_535);
        trailers.receiveHeaders(false);
        trailers.expectContentLength(2);
        trailers.receiveData(1, 1, false);
        assertThatThrownBy(() -> trailers.receiveHeaders(true)).hasMessageContaining("content-length 2");
    }

    @Test
    void paddingCountsAgainstTheWindowButNotTheBody() throws Exception {
        stream.receiveHeaders(false);
        stream.expectContentLength(2);
        stream.receiveData(2, 200, true);
        assertThat(stream.received()).isEqualTo(2);
        assertThat(stream.receiveWindow().window()).isEqualTo(65_535 - 200);
    }
}
