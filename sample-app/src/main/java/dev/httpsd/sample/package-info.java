/**
 * The sample application: ESP-IDF's https_server/simple, http_server/simple and async_handlers
 * examples as a Spring Boot application using only the httpsd starter.
 */
package dev.httpsd.sample;
