/** The sandboxes behind {@link dev.overnight.core.sandbox.Sandbox}: not exported. */
package dev.overnight.core.sandbox.internal;
