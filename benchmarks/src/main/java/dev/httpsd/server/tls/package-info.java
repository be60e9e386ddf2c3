/**
 * Measurements of the core's TLS engines, kept in the core's TLS package to reach its
 * package-private classes (the core describes the package itself).
 */
package dev.httpsd.server.tls;
