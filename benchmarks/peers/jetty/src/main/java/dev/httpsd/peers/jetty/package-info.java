/**
 * Jetty 12 with a plain core handler as a benchmark peer: /hello, /bytes?n=N and /echo over
 * HTTPS, no servlets.
 */
package dev.httpsd.peers.jetty;
