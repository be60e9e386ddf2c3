/**
 * HTTP/2 (RFC 9113) over TLS, chosen by ALPN {@code h2}: the codec and the connection that serves a
 * session with it.
 *
 * <p>The codec has no I/O: frame reading and writing, header compression (HPACK, RFC 7541), stream
 * states, flow-control windows, request validation and flood accounting, tested from bytes. The
 * connection ({@code Http2Protocol}) plugs it into the server's runtime as a {@code Protocol}: it
 * reads the client's frames on the session's thread ({@code InboundFrames}), runs each request
 * stream on a virtual thread of its own through the same router and handlers as HTTP/1.1 ({@code
 * StreamRunner}), and writes frames under the session's write lock. Every class is package-private
 * but the protocol's factory, which the runtime loads as a service.
 */
package dev.httpsd.server.http2;
