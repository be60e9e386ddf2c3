/**
 * WebSocket (RFC 6455) behind the server's public WebSocket API: the opening handshake as an
 * HTTP/1.1 {@link dev.httpsd.server.http1.Upgrade}, the protocol that runs the connection after
 * it, and the frame reader and writer.
 *
 * <p>Internal: the module does not export this package and it carries no compatibility promise.
 * The API types ({@link dev.httpsd.server.WebSocket}, {@link dev.httpsd.server.WsFrame}, ...) stay
 * in {@code dev.httpsd.server}, where the server's ESP calls name them.
 */
package dev.httpsd.server.websocket;
