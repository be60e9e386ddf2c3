/**
 * Actuator and Micrometer integration: server metrics, health and info, and the management
 * listener serving Actuator's web endpoints through Boot's endpoint model without a servlet stack.
 */
package dev.httpsd.autoconfigure.actuate;
