/** Comparative benchmarks of the hot paths; results written as JSON, never asserted in tests. */
package dev.overnight.benchmarks;
