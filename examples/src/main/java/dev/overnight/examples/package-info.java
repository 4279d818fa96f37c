/** Runnable programs, one feature each. */
package dev.overnight.examples;
