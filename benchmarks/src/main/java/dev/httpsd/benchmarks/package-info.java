/**
 * The servers and clients the benchmark script runs: httpsd through its core API and through the
 * Spring Boot starter, and a client holding idle TLS connections.
 */
package dev.httpsd.benchmarks;
