/**
 * HTTP/2 (RFC 9113) and HPACK (RFC 7541) without I/O: frame reading and writing, header
 * compression, stream states, flow-control windows, request validation and flood accounting.
 *
 * <p>Nothing here touches a socket or a thread; the HTTP/2 connection that serves a session plugs
 * these parts into the server's runtime. Every class is package-private: the connection lives in
 * this package too.
 */
package dev.httpsd.server.http2;
