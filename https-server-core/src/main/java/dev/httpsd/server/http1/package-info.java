/**
 * HTTP/1.1 as a {@link dev.httpsd.server.Protocol}: the keep-alive loop, the request-head codec
 * (request line, field lines and their meaning as separate parts), body framings, the response
 * writer, the one keep-alive decision and the error path, and the {@link
 * dev.httpsd.server.http1.Upgrade} seam other protocols hook into.
 *
 * <p>Internal: public classes here serve the server's other packages and its benchmarks; the
 * module does not export this package and it carries no compatibility promise.
 */
package dev.httpsd.server.http1;
