/**
 * Overnight in a Spring Boot application: the {@code overnight.*} properties, the lifecycle that
 * runs the scheduler with the context, the runtime customizer and the Actuator endpoint.
 */
package dev.overnight.spring.boot;
