/**
 * Spring Boot MVC on Tomcat with its default settings as a benchmark peer: /hello, /bytes?n=N
 * and /echo over HTTPS.
 */
package dev.httpsd.peers.tomcat;
