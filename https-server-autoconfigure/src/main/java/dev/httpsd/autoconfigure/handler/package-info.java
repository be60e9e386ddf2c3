/**
 * The handler model for Spring developers, on top of the ESP-level {@code RequestHandler}:
 * binding of {@code @UriMapping} method parameters ({@link
 * dev.httpsd.autoconfigure.handler.UriVariable}, {@link
 * dev.httpsd.autoconfigure.handler.QueryValue}, {@link
 * dev.httpsd.autoconfigure.handler.HeaderValue}, {@link dev.httpsd.autoconfigure.handler.Cookie},
 * {@link dev.httpsd.autoconfigure.handler.Body}, or Spring Web's annotations when spring-web is
 * present), return values written as text, bytes or JSON ({@link
 * dev.httpsd.autoconfigure.handler.Reply} for status and headers), exception advice ({@link
 * dev.httpsd.autoconfigure.handler.ExceptionMapping}) and an interceptor chain ({@link
 * dev.httpsd.autoconfigure.handler.RequestInterceptor}) with CORS and compression on top.
 */
package dev.httpsd.autoconfigure.handler;
