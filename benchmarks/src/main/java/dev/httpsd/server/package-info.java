/**
 * JMH micro-benchmarks of the core's request-head parser and response writer, kept in the core's
 * package to reach its package-private classes (the core describes the package itself).
 */
package dev.httpsd.server;
