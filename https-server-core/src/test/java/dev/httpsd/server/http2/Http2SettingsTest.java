package dev.httpsd.server.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings values, their initial values and how a SETTINGS frame changes them (RFC 9113 §6.5.2, §6.5.3). */
class Http2SettingsTest {

    @Test
    void theDefaultsAreTheRfcsInitialValues() {
        Http2Settings d = Http2Settings.DEFAULTS;
        assertThat(d.headerTableSize()).isEqualTo(4096);
        assertThat(d.enablePush()).isTrue();
        assertThat(d.maxConcurrentStreams()).isEqualTo(Http2Settings.UNLIMITED);
        assertThat(d.initialWindowSize()).isEqualTo(65_535);
        assertThat(d.maxFrameSize()).isEqualTo(16_384);
        assertThat(d.maxHeaderListSize()).isEqualTo(Http2Settings.UNLIMITED);
        assertThat(d.differencesFromDefaults()).isEmpty();
    }

    @Test
    void parametersApplyInOrderSoTheLastValueWins() {
        // h2spec http2/6.5.3/1
        Http2Settings applied = Http2Settings.DEFAULTS.apply(List.of(
                new Setting(Http2Settings.INITIAL_WINDOW_SIZE, 100),
                new Setting(Http2Settings.INITIAL_WINDOW_SIZE, 1),
                new Setting(Http2Settings.MAX_FRAME_SIZE, 20_000),
                new Setting(0x42, 7)));
        assertThat(applied.initialWindowSize()).isEqualTo(1);
        assertThat(applied.maxFrameSize()).isEqualTo(20_000);
        assertThat(applied.headerTableSize()).isEqualTo(4096);
    }

    @Test
    void everyParameterCanBeChanged() {
        Http2Settings applied = Http2Settings.DEFAULTS.apply(List.of(
                new Setting(1, 0),
                new Setting(2, 0),
                new Setting(3, 10),
                new Setting(4, 0),
                new Setting(5, 16_777_215),
                new Setting(6, 100)));
        assertThat(applied).isEqualTo(new Http2Settings(0, false, 10, 0, 16_777_215, 100));
        assertThat(applied.differencesFromDefaults()).hasSize(6);
    }

    @Test
    void configuredValuesOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new Http2Settings(4096, false, 100, -1, 16_384, 8192))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initial window size -1");
        assertThatThrownBy(() -> new Http2Settings(4096, false, 100, 65_535, 16_383, 8192))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max frame size 16383");
        assertThatThrownBy(() -> new Http2Settings(1L << 32, false, 100, 65_535, 16_384, 8192))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownParametersAreNamedByNumber() {
        assertThat(new Setting(0x42, 1)).hasToString("setting 0x42=1");
        assertThat(new Setting(4, 1)).hasToString("SETTINGS_INITIAL_WINDOW_SIZE=1");
    }
}
