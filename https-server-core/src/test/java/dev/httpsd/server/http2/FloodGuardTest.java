package dev.httpsd.server.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Flood accounting (RFC 9113 §10.5) on a clock moved by hand: rapid reset (CVE-2023-44487), reset,
 * SETTINGS, PING and empty-frame floods (CVE-2019-9512/9513/9514/9515/9518) end with
 * ENHANCE_YOUR_CALM; the same events at a legitimate rate never do. The floods from bytes go
 * through {@link ScriptedConnection}, as the connection will count them.
 */
class FloodGuardTest {

    private long now = 1_000_000_000L;
    private final FloodGuard guard =
            new FloodGuard(new FloodGuard.Limits(200, 50, 100, 1000, Duration.ofSeconds(10)), () -> now);

    @Test
    void aRapidResetFloodIsStoppedAfterTheBudget() throws Exception {
        for (int i = 0; i < 200; i++) {
            guard.streamReset();
        }
        assertThatThrownBy(guard::streamReset)
                .isInstanceOfSatisfying(
                        Http2ConnectionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM))
                .hasMessage("more than 200 stream resets in 10 s");
    }

    @Test
    void resetsAtTheBudgetsRateGoOnForever() throws Exception {
        // 20 per second for ten minutes: exactly the steady rate the budget allows
        for (int second = 0; second < 600; second++) {
            for (int i = 0; i < 20; i++) {
                guard.streamReset();
            }
            now += 1_000_000_000L;
        }
    }

    @Test
    void theBudgetRefillsWithTime() throws Exception {
        for (int i = 0; i < 200; i++) {
            guard.streamReset();
        }
        now += 5_000_000_000L;
        for (int i = 0; i < 100; i++) {
            guard.streamReset();
        }
        assertThatThrownBy(guard::streamReset).isInstanceOf(Http2ConnectionException.class);
    }

    @Test
    void eachKindHasItsOwnBudget() throws Exception {
        for (int i = 0; i < 50; i++) {
            guard.settingsFrame();
        }
        assertThatThrownBy(guard::settingsFrame).hasMessage("more than 50 SETTINGS frames in 10 s");
        for (int i = 0; i < 100; i++) {
            guard.pingFrame();
        }
        assertThatThrownBy(guard::pingFrame).hasMessage("more than 100 PING frames in 10 s");
        for (int i = 0; i < 1000; i++) {
            guard.emptyFrame();
        }
        assertThatThrownBy(guard::emptyFrame).hasMessageStartingWith("more than 1000 empty frames");
        guard.streamReset();
    }

    @Test
    void aRapidResetOf100000StreamsEndsAfterTheBudgetFromBytes() throws Exception {
        Frames frames = Frames.client();
        for (int stream = 1; stream < 200_000; stream += 2) {
            frames.request(stream, "GET", "/", false).raw(FrameType.RST_STREAM, 0, stream, "00000008");
        }
        List<String> log = new ScriptedConnection().run(frames.bytes());
        assertThat(log).filteredOn(line -> line.startsWith("reset by client")).hasSize(200);
        assertThat(log).last().isEqualTo("GOAWAY 401 ENHANCE_YOUR_CALM");
    }

    @Test
    void refusedAndMalformedStreamsSpendTheResetBudgetToo() throws Exception {
        Frames frames = Frames.client();
        for (int stream = 1; stream < 1_000; stream += 2) {
            frames.request(stream, "GET", "/", true, "connection", "close");
        }
        List<String> log = new ScriptedConnection().run(frames.bytes());
        assertThat(log).filteredOn(line -> line.startsWith("RST_STREAM")).hasSize(201);
        // malformed streams were opened, then reset: the GOAWAY names the last one
        assertThat(log).last().isEqualTo("GOAWAY 401 ENHANCE_YOUR_CALM");
    }

    @Test
    void pingSettingsAndEmptyFrameFloodsEndWithEnhanceYourCalmFromBytes() throws Exception {
        Frames pings = Frames.client();
        Frames settings = Frames.client();
        Frames empty = Frames.client().request(1, "POST", "/", false);
        for (int i = 0; i < 2_000; i++) {
            pings.ping(i);
            settings.settings(new Setting(Http2Settings.HEADER_TABLE_SIZE, 4096));
            empty.data(1, "", false);
        }
        assertThat(new ScriptedConnection().run(pings.bytes())).last().isEqualTo("GOAWAY 0 ENHANCE_YOUR_CALM");
        assertThat(new ScriptedConnection().run(settings.bytes())).last().isEqualTo("GOAWAY 0 ENHANCE_YOUR_CALM");
        assertThat(new ScriptedConnection().run(empty.bytes())).last().isEqualTo("GOAWAY 1 ENHANCE_YOUR_CALM");
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new FloodGuard.Limits(0, 1, 1, 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FloodGuard.Limits(1, 1, 1, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
