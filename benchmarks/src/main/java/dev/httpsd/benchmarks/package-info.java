/**
 * The servers and clients the benchmark script runs: httpsd through its core API and through the
 * Spring Boot starter, a client holding idle TLS connections and one keeping connections busy at a
 * bounded rate.
 */
package dev.httpsd.benchmarks;
