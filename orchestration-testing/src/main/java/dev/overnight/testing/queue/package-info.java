/** Helpers for the queue and state-store compatibility kits: a clock that moves only on command. */
package dev.overnight.testing.queue;
