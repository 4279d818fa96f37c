/**
 * The {@code overnight} command line: picocli commands over the SDK. Exit codes: 0 success, 1 a
 * check failed or the work failed (invalid config, unavailable agent), 2 usage error, 3 state
 * folder in use by another daemon.
 */
package dev.overnight.cli;
