package dev.httpsd.autoconfigure;

import org.springframework.util.unit.DataSize;

/**
 * {@code https-server.http2.*}: HTTP/2 on the TLS port (ALPN {@code h2}) and the limits the
 * server announces in its SETTINGS.
 */
public class Http2Properties {

    /** Offer HTTP/2 (ALPN h2) first on the TLS port; clients that do not ask for it speak HTTP/1.1. */
    private boolean enabled = false;

    /** Streams one HTTP/2 connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS); more are refused. */
    private int maxConcurrentStreams = 100;

    /** Request body bytes a client may send on a stream before the handler reads them (SETTINGS_INITIAL_WINDOW_SIZE). */
    private DataSize initialWindowSize = DataSize.ofBytes(65_535);

    /** Largest HTTP/2 frame payload accepted (SETTINGS_MAX_FRAME_SIZE), 16KB to 16MB - 1 byte. */
    private DataSize maxFrameSize = DataSize.ofKilobytes(16);

    /** Largest decoded request header list (SETTINGS_MAX_HEADER_LIST_SIZE); a larger one is answered 431. */
    private DataSize maxHeaderListSize = DataSize.ofKilobytes(16);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getMaxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    public void setMaxConcurrentStreams(int maxConcurrentStreams) {
        this.maxConcurrentStreams = maxConcurrentStreams;
    }

    public DataSize getInitialWindowSize() {
        return initialWindowSize;
    }

    public void setInitialWindowSize(DataSize initialWindowSize) {
        this.initialWindowSize = initialWindowSize;
    }

    public DataSize getMaxFrameSize() {
        return maxFrameSize;
    }

    public void setMaxFrameSize(DataSize maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    public DataSize getMaxHeaderListSize() {
        return maxHeaderListSize;
    }

    public void setMaxHeaderListSize(DataSize maxHeaderListSize) {
        this.maxHeaderListSize = maxHeaderListSize;
    }
}
