/** The scheduler: when cycles run, what it does while it waits, and what it tells listeners. */
package dev.overnight.api.schedule;
