package dev.httpsd.autoconfigure;

import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * {@code https-server.http2.*}: HTTP/2 on the TLS port (ALPN {@code h2}) and the limits the
 * server announces in its SETTINGS.
 */
public class Http2Properties {

    /** Offer HTTP/2 (ALPN h2) first on the TLS port; clients that do not ask for it speak HTTP/1.1. */
    private boolean enabled = true;

    /** Streams one HTTP/2 connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS); more are refused. */
    private int maxConcurrentStreams = 100;

    /** Request body bytes a client may send on a stream before the handler reads them (SETTINGS_INITIAL_WINDOW_SIZE). */
    private DataSize initialWindowSize = DataSize.ofBytes(65_535);

    /** Largest HTTP/2 frame payload accepted (SETTINGS_MAX_FRAME_SIZE), 16KB to 16MB - 1 byte. */
    private DataSize maxFrameSize = DataSize.ofKilobytes(16);

    /** Largest decoded request header list (SETTINGS_MAX_HEADER_LIST_SIZE); a larger one is answered 431. */
    private DataSize maxHeaderListSize = DataSize.ofKilobytes(16);

    /** Stream resets by or because of a client per flood window (rapid reset, CVE-2023-44487); more end its connection with GOAWAY ENHANCE_YOUR_CALM. */
    private int resetBudget = 200;

    /** SETTINGS frames a client may send per flood window; more end its connection with GOAWAY ENHANCE_YOUR_CALM. */
    private int settingsBudget = 50;

    /** PING frames a client may send per flood window; more end its connection with GOAWAY ENHANCE_YOUR_CALM. */
    private int pingBudget = 100;

    /** PRIORITY, empty DATA and unknown frames a client may send per flood window; more end its connection with GOAWAY ENHANCE_YOUR_CALM. */
    private int emptyFrameBudget = 1000;

    /** The period over which the HTTP/2 flood budgets are counted, per connection. */
    private Duration floodWindow = Duration.ofSeconds(10);

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

    public int getResetBudget() {
        return resetBudget;
    }

    public void setResetBudget(int resetBudget) {
        this.resetBudget = resetBudget;
    }

    public int getSettingsBudget() {
        return settingsBudget;
    }

    public void setSettingsBudget(int settingsBudget) {
        this.settingsBudget = settingsBudget;
    }

    public int getPingBudget() {
        return pingBudget;
    }

    public void setPingBudget(int pingBudget) {
        this.pingBudget = pingBudget;
    }

    public int getEmptyFrameBudget() {
        return emptyFrameBudget;
    }

    public void setEmptyFrameBudget(int emptyFrameBudget) {
        this.emptyFrameBudget = emptyFrameBudget;
    }

    public Duration getFloodWindow() {
        return floodWindow;
    }

    public void setFloodWindow(Duration floodWindow) {
        this.floodWindow = floodWindow;
    }
}
