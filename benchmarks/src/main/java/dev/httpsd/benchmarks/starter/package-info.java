/**
 * httpsd through its Spring Boot starter for the benchmark scenarios, handlers as
 * {@code @UriMapping} methods; the {@code events} profile listens to every server event.
 */
package dev.httpsd.benchmarks.starter;
