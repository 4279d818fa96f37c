/** Running external commands (git, gh, a verify command) with bounded time and output. */
package dev.overnight.core.process;
