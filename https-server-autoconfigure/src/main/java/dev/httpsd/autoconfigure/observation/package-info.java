/**
 * Micrometer Observation for httpsd: every request as an {@code http.server.requests} observation
 * with a replaceable convention, carrying W3C trace context in and the request's scope to the
 * threads that handle it; and the access log.
 */
package dev.httpsd.autoconfigure.observation;
