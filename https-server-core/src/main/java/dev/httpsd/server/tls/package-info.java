/**
 * HTTPS on the HTTP server's session hooks: ESP-IDF's {@code esp_https_server}. Reaches the core
 * only through its public hooks (open/close hooks, recv/send/pending overrides, transport
 * contexts) and the {@link dev.httpsd.server.TransportSetup} the open hook receives.
 */
package dev.httpsd.server.tls;
