/**
 * httpsd core: ESP-IDF's {@code esp_http_server} and {@code esp_https_server} on the JVM. Exports
 * the API packages only: {@code dev.httpsd.server} (the server, its configuration, handlers,
 * sessions, events, and the connection SPI its protocols use), {@code dev.httpsd.server.proxy}
 * (the PROXY protocol and forwarded headers: who the client is behind a balancer) and {@code
 * dev.httpsd.server.tls} (the HTTPS layer). The protocol packages ({@code http1}, {@code websocket}, {@code http2}) are
 * internal; they plug into the runtime as services, so the runtime never names them.
 */
module dev.httpsd.server {
    requires jdk.net;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires static io.netty.buffer;
    requires static io.netty.common;
    requires static io.netty.handler;
    requires static io.netty.tcnative.classes.openssl;

    exports dev.httpsd.server;
    exports dev.httpsd.server.proxy;
    exports dev.httpsd.server.tls;

    uses dev.httpsd.server.ProtocolFactory;
    uses dev.httpsd.server.http1.Upgrade;

    provides dev.httpsd.server.ProtocolFactory with
            dev.httpsd.server.http1.Http1ProtocolFactory,
            dev.httpsd.server.http2.Http2ProtocolFactory;
    provides dev.httpsd.server.http1.Upgrade with
            dev.httpsd.server.websocket.WebSocketUpgrade;
}
