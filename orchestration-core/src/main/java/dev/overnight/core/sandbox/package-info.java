/**
 * Confinement of the commands agents run: a {@link dev.overnight.core.sandbox.Sandbox} wraps a
 * command line so that it runs with a {@link dev.overnight.core.sandbox.SandboxProfile}'s view of
 * the machine (bubblewrap on Linux, {@code sandbox-exec} on macOS), {@link
 * dev.overnight.core.sandbox.Sandboxes} finds the one this machine has, and {@link
 * dev.overnight.core.sandbox.SandboxChoice} applies the config's {@code permissions.sandbox}.
 */
package dev.overnight.core.sandbox;
