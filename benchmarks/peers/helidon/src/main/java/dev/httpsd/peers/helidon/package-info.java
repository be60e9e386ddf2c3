/**
 * Helidon 4 SE as a benchmark peer: serves /hello, /bytes?n=N and /echo over HTTPS, the same
 * endpoints every server in the comparison serves.
 */
package dev.httpsd.peers.helidon;
