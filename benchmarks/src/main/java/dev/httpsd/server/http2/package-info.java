/** JMH micro-benchmarks of the HTTP/2 codec: HPACK decoding and encoding, frame reading. */
package dev.httpsd.server.http2;
