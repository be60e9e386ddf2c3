/**
 * The HTTP/1.1 server with ESP-IDF's {@code esp_http_server} API: configuration, lifecycle, URI
 * handlers, requests, responses, sessions and their transport hooks, and server events.
 *
 * <p>The package also holds the connection runtime, package-private: the acceptor, one owning
 * {@code Session} per connection running {@link dev.httpsd.server.Protocol}s over its {@code
 * Transport}, the registry and the watchdog. A few public types are the connection SPI through
 * which the protocol packages ({@code http1}, {@code websocket}) plug into that runtime: {@link
 * dev.httpsd.server.Protocol}, {@link dev.httpsd.server.ProtocolFactory}, {@link
 * dev.httpsd.server.ConnectionContext}, {@link dev.httpsd.server.InputBuffer}, {@link
 * dev.httpsd.server.ByteSource}, {@link dev.httpsd.server.Timeouts} and {@link
 * dev.httpsd.server.UriRouter}'s routes. They are not an application extension point and carry no
 * compatibility promise. {@link dev.httpsd.server.TransportSetup} and {@link
 * dev.httpsd.server.EventSink} are for transport layers, such as the HTTPS layer.
 *
 * <p>ESP's {@code ESP_ERR_INVALID_ARG} becomes an exception: a {@code null} argument throws {@link
 * java.lang.NullPointerException} (the Java convention), except where a method gives {@code null}
 * a meaning (such as {@code registerErrorHandler(error, null)} restoring the default, or {@code
 * send((String) null)} sending no body); any other invalid argument throws {@link
 * java.lang.IllegalArgumentException}.
 */
package dev.httpsd.server;
