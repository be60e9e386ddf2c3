/**
 * Requests and responses without sockets, for unit tests of {@link dev.httpsd.server.RequestHandler}s:
 * {@link dev.httpsd.test.mock.MockHttpRequest}, {@link dev.httpsd.test.mock.MockHttpResponse} and
 * {@link dev.httpsd.test.mock.MockHttpSession}, with the server's semantics and exceptions.
 */
package dev.httpsd.test.mock;
