/**
 * The JDK's own {@code com.sun.net.httpserver.HttpsServer} as a benchmark peer: /hello, /bytes?n=N
 * and /echo over HTTPS on virtual threads.
 */
package dev.httpsd.peers.jdk;
