/**
 * Spring Boot WebFlux on Reactor Netty as a benchmark peer: /hello, /bytes?n=N and /echo over
 * HTTPS through functional endpoints.
 */
package dev.httpsd.peers.webflux;
