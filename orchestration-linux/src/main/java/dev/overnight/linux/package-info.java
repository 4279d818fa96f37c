/**
 * Overnight on Linux: constraint checkers read from {@code /sys}, {@code /proc}, logind and the
 * desktop session, and keep-awake through {@code systemd-inhibit}. See {@link
 * dev.overnight.linux.LinuxPlatform}.
 */
package dev.overnight.linux;
