package dev.httpsd.server.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Flow-control windows (RFC 9113 §5.2, §6.9): sending within the window, WINDOW_UPDATE overflow,
 * SETTINGS_INITIAL_WINDOW_SIZE changes, and returning credit as a handler reads. The h2spec cases
 * they answer: http2/6.9.1/1 ({@link #aWindowOfOneAllowsOneOctet}), /2 and /3 ({@link
 * #aWindowUpdatePastTwoToTheThirtyOneIsAFlowControlError}), http2/6.9.2/1 and /2 ({@link
 * #aNewInitialWindowSizeMovesEveryStreamWindowByTheDifference}), /3 ({@link
 * #anInitialWindowSizeChangePastTheMaximumIsAConnectionFlowControlError}); the SETTINGS value of
 * 2^31 itself is {@link FrameTypeRulesTest}'s.
 */
class FlowControlTest {

    @Test
    void aWindowOfOneAllowsOneOctet() throws Exception {
        FlowWindow window = new FlowWindow(1, 1);
        assertThat(window.available()).isEqualTo(1);
        window.consume(1);
        assertThat(window.available()).isZero();
        assertThatThrownBy(() -> window.consume(1)).isInstanceOf(IllegalStateException.class);
        window.increase(10);
        assertThat(window.available()).isEqualTo(10);
    }

    @Test
    void aWindowUpdatePastTwoToTheThirtyOneIsAFlowControlError() throws Exception {
        FlowWindow stream = new FlowWindow(3, 65_535);
        stream.increase(FrameHeader.MAX_31_BIT - 65_535);
        assertThat(stream.available()).isEqualTo(FrameHeader.MAX_31_BIT);
        assertThatThrownBy(() -> stream.increase(1)).isInstanceOfSatisfying(Http2StreamException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR);
            assertThat(e.streamId()).isEqualTo(3);
        });

        FlowWindow connection = new FlowWindow(0, 65_535);
        assertThatThrownBy(() -> connection.increase(FrameHeader.MAX_31_BIT))
                .isInstanceOfSatisfying(
                        Http2ConnectionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR));
    }

    @Test
    void aNewInitialWindowSizeMovesEveryStreamWindowByTheDifference() throws Exception {
        StreamRegistry<StreamLifecycle> streams = new StreamRegistry<>(100, 16);
        StreamLifecycle one = streams.acceptHeaders(1, false, -1, id -> new StreamLifecycle(id, 65_535, 65_535));
        StreamLifecycle three = streams.acceptHeaders(3, false, -1, id -> new StreamLifecycle(id, 65_535, 65_535));
        one.sendHeaders(false);
        one.sendData(60_000, false);

        streams.applyInitialWindowSize(65_535, 0);
        assertThat(one.sendWindow().available()).isEqualTo(5_535 - 65_535);
        assertThat(three.sendWindow().available()).isZero();

        streams.applyInitialWindowSize(0, 100_000);
        assertThat(one.sendWindow().available()).isEqualTo(5_535 - 65_535 + 100_000);
        assertThat(three.sendWindow().available()).isEqualTo(100_000);
    }

    @Test
    void anInitialWindowSizeChangePastTheMaximumIsAConnectionFlowControlError() throws Exception {
        StreamRegistry<StreamLifecycle> streams = new StreamRegistry<>(100, 16);
        StreamLifecycle one = streams.acceptHeaders(1, false, -1, id -> new StreamLifecycle(id, 65_535, 65_535));
        one.receiveWindowUpdate(FrameHeader.MAX_31_BIT - 65_535);
        assertThatThrownBy(() -> streams.applyInitialWindowSize(65_535, 65_536))
                .isInstanceOfSatisfying(
                        Http2ConnectionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR));
    }

    @Test
    void dataBeyondTheReceiveWindowIsAFlowControlError() throws Exception {
        ReceiveWindow stream = new ReceiveWindow(1, 100, 100);
        stream.receive(60);
        assertThatThrownBy(() -> stream.receive(41))
                .isInstanceOfSatisfying(
                        Http2StreamException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR));
        ReceiveWindow connection = new ReceiveWindow(0, 100, 100);
        assertThatThrownBy(() -> connection.receive(101))
                .isInstanceOfSatisfying(
                        Http2ConnectionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR));
    }

    @Test
    void creditReturnsInOneUpdateOnceHalfTheWindowWasRead() throws Exception {
        ReceiveWindow window = new ReceiveWindow(1, 65_535, 65_535);
        window.receive(40_000);
        assertThat(window.release(10_000)).isZero();
        assertThat(window.release(20_000)).isZero();
        assertThat(window.release(10_000)).isEqualTo(40_000);
        assertThat(window.window()).isEqualTo(65_535);
    }

    @Test
    void aHandlerThatDoesNotReadStopsThePeerAfterOneWindow() throws Exception {
        ReceiveWindow window = new ReceiveWindow(1, 16_384, 16_384);
        window.receive(16_384);
        assertThat(window.window()).isZero();
        assertThatThrownBy(() -> window.receive(1)).isInstanceOf(Http2StreamException.class);
        assertThat(window.release(16_384)).isEqualTo(16_384);
        window.receive(16_384);
    }

    @Test
    void aConnectionWindowLargerThanTheDefaultIsOfferedAtOnce() throws Exception {
        ReceiveWindow connection = new ReceiveWindow(0, 65_535, 1 << 20);
        assertThat(connection.initialIncrement()).isEqualTo((1 << 20) - 65_535);
        assertThat(connection.initialIncrement()).isZero();
        connection.receive(1 << 20);
        assertThat(connection.release(1 << 19)).isEqualTo(1 << 19);
    }

    @Test
    void aStreamSendsNoMoreThanItsWindow() {
        StreamLifecycle stream = new StreamLifecycle(1, 10, 65_535);
        assertThatThrownBy(() -> stream.sendData(5, false))
                .as("DATA before HEADERS on an idle stream")
                .isInstanceOf(IllegalStateException.class);
    }
}
