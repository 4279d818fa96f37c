/**
 * Constraint checkers: what the machine must satisfy before a cycle runs, and the ServiceLoader SPI
 * through which platform modules and users plug checkers in.
 */
package dev.overnight.api.constraint;
