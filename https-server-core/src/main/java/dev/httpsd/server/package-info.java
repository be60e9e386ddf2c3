/**
 * The HTTP/1.1 server with ESP-IDF's {@code esp_http_server} API: configuration, lifecycle, URI
 * handlers, requests, responses, sessions and their transport hooks, and server events.
 */
package dev.httpsd.server;
