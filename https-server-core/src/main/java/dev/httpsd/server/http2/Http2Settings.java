package dev.httpsd.server.http2;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one side of a connection (RFC 9113 §6.5.2), immutable. {@link #DEFAULTS} holds
 * the initial values every connection starts from; {@link #apply} yields the settings after a
 * SETTINGS frame. Values the RFC calls unlimited are {@link #UNLIMITED}.
 *
 * <p>{@link #check(int, long)} holds the range rules for values received from the peer, whose
 * violations are connection errors; the constructor holds the same rules for the values we
 * configure, as {@link IllegalArgumentException}s.
 */
record Http2Settings(
        long headerTableSize,
        boolean enablePush,
        long maxConcurrentStreams,
        int initialWindowSize,
        int maxFrameSize,
        long maxHeaderListSize) {

    static final int HEADER_TABLE_SIZE = 0x1;
    static final int ENABLE_PUSH = 0x2;
    static final int MAX_CONCURRENT_STREAMS = 0x3;
    static final int INITIAL_WINDOW_SIZE = 0x4;
    static final int MAX_FRAME_SIZE = 0x5;
    static final int MAX_HEADER_LIST_SIZE = 0x6;
    /** RFC 8441 §3; accepted (0 or 1) and ignored: we offer no extended CONNECT. */
    static final int ENABLE_CONNECT_PROTOCOL = 0x8;
    /** RFC 9218 §2.1; accepted (0 or 1) and ignored: priorities are ignored altogether. */
    static final int NO_RFC7540_PRIORITIES = 0x9;

    static final long UNLIMITED = 0xffffffffL;
    static final int DEFAULT_WINDOW_SIZE = 65_535;
    static final int MIN_MAX_FRAME_SIZE = 16_384;
    static final int MAX_MAX_FRAME_SIZE = 16_777_215;

    /** The values before any SETTINGS frame (RFC 9113 §6.5.2). */
    static final Http2Settings DEFAULTS =
            new Http2Settings(4096, true, UNLIMITED, DEFAULT_WINDOW_SIZE, MIN_MAX_FRAME_SIZE, UNLIMITED);

    Http2Settings {
        requireRange("header table size", headerTableSize, 0, UNLIMITED);
        requireRange("max concurrent streams", maxConcurrentStreams, 0, UNLIMITED);
        requireRange("initial window size", initialWindowSize, 0, FrameHeader.MAX_31_BIT);
        requireRange("max frame size", maxFrameSize, MIN_MAX_FRAME_SIZE, MAX_MAX_FRAME_SIZE);
        requireRange("max header list size", maxHeaderListSize, 0, UNLIMITED);
    }

    private static void requireRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " outside " + min + ".." + max);
        }
    }

    /**
     * Checks one received parameter (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1). Unknown
     * identifiers pass: §6.5.2 says to ignore them.
     *
     * @throws Http2ConnectionException PROTOCOL_ERROR, or FLOW_CONTROL_ERROR for a window above 2^31-1
     */
    static void check(int id, long value) throws Http2ConnectionException {
        switch (id) {
            case ENABLE_PUSH, ENABLE_CONNECT_PROTOCOL, NO_RFC7540_PRIORITIES -> {
                if (value != 0 && value != 1) {
                    throw new Http2ConnectionException(
                            ErrorCode.PROTOCOL_ERROR, name(id) + " must be 0 or 1, not " + value);
                }
            }
            case INITIAL_WINDOW_SIZE -> {
                if (value > FrameHeader.MAX_31_BIT) {
                    throw new Http2ConnectionException(
                            ErrorCode.FLOW_CONTROL_ERROR, name(id) + " " + value + " above 2^31-1");
                }
            }
            case MAX_FRAME_SIZE -> {
                if (value < MIN_MAX_FRAME_SIZE || value > MAX_MAX_FRAME_SIZE) {
                    throw new Http2ConnectionException(
                            ErrorCode.PROTOCOL_ERROR, name(id) + " " + value + " outside 2^14..2^24-1");
                }
            }
            default -> {
                // any value is valid
            }
        }
    }

    /** These settings after a SETTINGS frame's parameters, applied in order (§6.5.3). */
    Http2Settings apply(List<Setting> settings) {
        Http2Settings result = this;
        for (Setting setting : settings) {
            result = result.apply(setting.id(), setting.value());
        }
        return result;
    }

    private Http2Settings apply(int id, long value) {
        return switch (id) {
            case HEADER_TABLE_SIZE ->
                new Http2Settings(
                        value, enablePush, maxConcurrentStreams, initialWindowSize, maxFrameSize, maxHeaderListSize);
            case ENABLE_PUSH ->
                new Http2Settings(
                        headerTableSize,
                        value == 1,
                        maxConcurrentStreams,
                        initialWindowSize,
                        maxFrameSize,
                        maxHeaderListSize);
            case MAX_CONCURRENT_STREAMS ->
                new Http2Settings(
                        headerTableSize, enablePush, value, initialWindowSize, maxFrameSize, maxHeaderListSize);
            case INITIAL_WINDOW_SIZE ->
                new Http2Settings(
                        headerTableSize,
                        enablePush,
                        maxConcurrentStreams,
                        (int) value,
                        maxFrameSize,
                        maxHeaderListSize);
            case MAX_FRAME_SIZE ->
                new Http2Settings(
                        headerTableSize,
                        enablePush,
                        maxConcurrentStreams,
                        initialWindowSize,
                        (int) value,
                        maxHeaderListSize);
            case MAX_HEADER_LIST_SIZE ->
                new Http2Settings(
                        headerTableSize, enablePush, maxConcurrentStreams, initialWindowSize, maxFrameSize, value);
            default -> this;
        };
    }

    /** The parameters that differ from {@link #DEFAULTS}: what a SETTINGS frame must carry. */
    List<Setting> differencesFromDefaults() {
        List<Setting> settings = new ArrayList<>(6);
        if (headerTableSize != DEFAULTS.headerTableSize) {
            settings.add(new Setting(HEADER_TABLE_SIZE, headerTableSize));
        }
        if (enablePush != DEFAULTS.enablePush) {
            settings.add(new Setting(ENABLE_PUSH, enablePush ? 1 : 0));
        }
        if (maxConcurrentStreams != DEFAULTS.maxConcurrentStreams) {
            settings.add(new Setting(MAX_CONCURRENT_STREAMS, maxConcurrentStreams));
        }
        if (initialWindowSize != DEFAULTS.initialWindowSize) {
            settings.add(new Setting(INITIAL_WINDOW_SIZE, initialWindowSize));
        }
        if (maxFrameSize != DEFAULTS.maxFrameSize) {
            settings.add(new Setting(MAX_FRAME_SIZE, maxFrameSize));
        }
        if (maxHeaderListSize != DEFAULTS.maxHeaderListSize) {
            settings.add(new Setting(MAX_HEADER_LIST_SIZE, maxHeaderListSize));
        }
        return settings;
    }

    /** The parameter's name as RFC 9113 spells it, for messages. */
    static String name(int id) {
        return switch (id) {
            case HEADER_TABLE_SIZE -> "SETTINGS_HEADER_TABLE_SIZE";
            case ENABLE_PUSH -> "SETTINGS_ENABLE_PUSH";
            case MAX_CONCURRENT_STREAMS -> "SETTINGS_MAX_CONCURRENT_STREAMS";
            case INITIAL_WINDOW_SIZE -> "SETTINGS_INITIAL_WINDOW_SIZE";
            case MAX_FRAME_SIZE -> "SETTINGS_MAX_FRAME_SIZE";
            case MAX_HEADER_LIST_SIZE -> "SETTINGS_MAX_HEADER_LIST_SIZE";
            case ENABLE_CONNECT_PROTOCOL -> "SETTINGS_ENABLE_CONNECT_PROTOCOL";
            case NO_RFC7540_PRIORITIES -> "SETTINGS_NO_RFC7540_PRIORITIES";
            default -> "setting 0x" + Integer.toHexString(id);
        };
    }
}
