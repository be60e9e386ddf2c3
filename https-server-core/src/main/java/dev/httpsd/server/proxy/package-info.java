/**
 * Running behind load balancers and proxies: the PROXY protocol (versions 1 and 2), the trusted
 * proxies list, and the {@code Forwarded} / {@code X-Forwarded-*} headers read into the request's
 * effective origin.
 *
 * <p>Everything here is pure: parsers read from a small byte source or from header values, never
 * from a socket, and hold no state between connections; only {@link
 * dev.httpsd.server.proxy.ProxyProtocol#read} reads a socket, for the session's transport before
 * the open hook. The package names nothing of the server (the server's API uses it), and the
 * module exports it. Public are only the results and the configuration values users see: {@link
 * dev.httpsd.server.proxy.ProxyProtocol}, {@link dev.httpsd.server.proxy.ProxyHeader}, {@link
 * dev.httpsd.server.proxy.ProxyHeaderException}, {@link dev.httpsd.server.proxy.TrustedProxies},
 * {@link dev.httpsd.server.proxy.ForwardedHeaders} and {@link
 * dev.httpsd.server.proxy.EffectiveOrigin}.
 */
package dev.httpsd.server.proxy;
