/**
 * Testing applications built on the httpsd starter: {@code @SpringBootTest} support (free ports
 * and a test certificate per context, {@link dev.httpsd.test.LocalHttpsServer} and its {@code
 * RestTestClient}, {@link dev.httpsd.test.MutualTls}), injected ports ({@link
 * dev.httpsd.test.LocalHttpsServerPort}) and recorded server events ({@link
 * dev.httpsd.test.RecordServerEvents}, {@link dev.httpsd.test.ServerEventRecorder}).
 */
package dev.httpsd.test;
