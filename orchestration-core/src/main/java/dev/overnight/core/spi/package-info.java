/**
 * Provider discovery: one injectable loader for every SPI, and one tested rule for choosing among
 * zero, one or several providers of a name.
 */
package dev.overnight.core.spi;
