/**
 * The HTTP/1.1 server with ESP-IDF's {@code esp_http_server} API: configuration, lifecycle, URI
 * handlers, requests, responses, sessions and their transport hooks, and server events.
 *
 * <p>ESP's {@code ESP_ERR_INVALID_ARG} becomes an exception: a {@code null} argument throws {@link
 * java.lang.NullPointerException} (the Java convention), except where a method gives {@code null}
 * a meaning (such as {@code registerErrorHandler(error, null)} restoring the default, or {@code
 * send((String) null)} sending no body); any other invalid argument throws {@link
 * java.lang.IllegalArgumentException}.
 */
package dev.httpsd.server;
