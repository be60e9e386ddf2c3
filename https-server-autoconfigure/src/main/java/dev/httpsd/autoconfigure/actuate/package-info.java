/**
 * Actuator and Micrometer integration: server metrics, health with certificate validity, info,
 * and an optional management port serving the Actuator endpoints without a servlet stack.
 */
package dev.httpsd.autoconfigure.actuate;
