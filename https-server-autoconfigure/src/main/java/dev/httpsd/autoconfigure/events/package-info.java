/**
 * Server events as Spring application events: one class per ESP event id, a common base per
 * family ({@link dev.httpsd.autoconfigure.events.HttpServerApplicationEvent} for
 * {@code ESP_HTTP_SERVER_EVENT}, {@link dev.httpsd.autoconfigure.events.HttpsServerApplicationEvent}
 * for {@code ESP_HTTPS_SERVER_EVENT}).
 */
package dev.httpsd.autoconfigure.events;
