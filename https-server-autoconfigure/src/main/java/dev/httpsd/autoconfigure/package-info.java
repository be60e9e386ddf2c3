/**
 * Spring Boot auto-configuration for the httpsd server: {@code https-server.*} properties, TLS
 * material and SSL bundles, annotated URI handlers, server events as Spring events, lifecycle.
 */
package dev.httpsd.autoconfigure;
