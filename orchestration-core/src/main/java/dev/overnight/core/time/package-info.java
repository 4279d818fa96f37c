/** The real {@link dev.overnight.api.TimeSource}: the system clock and one timer thread. */
package dev.overnight.core.time;
