package dev.httpsd.sample;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sample's own settings, under {@code sample.*}.
 *
 * @param broadcastInterval How often every WebSocket client is sent the server time.
 * @param async The /async endpoint.
 * @param mtls The mtls profile's certificates.
 */
@ConfigurationProperties("sample")
record SampleProperties(
        @DefaultValue("5s") Duration broadcastInterval,
        @DefaultValue Async async,
        @DefaultValue Mtls mtls) {

    /**
     * @param workers Requests /async detaches at once; one more is answered 503 Busy.
     */
    record Async(@DefaultValue("2") int workers) {}

    /**
     * @param directory Where the mtls profile creates its CA, server and client certificates.
     */
    record Mtls(@DefaultValue("certs") Path directory) {}
}
