/**
 * HTTPS on the HTTP server's session hooks: ESP-IDF's {@code esp_https_server}. Reaches the core
 * only through its public hooks (open/close hooks, recv/send/pending overrides, transport
 * contexts).
 */
package dev.httpsd.server.tls;
