/**
 * Overnight on macOS: constraint checkers through IOKit, SystemConfiguration and the Focus
 * database, and keep-awake through IOKit power assertions. See {@link
 * dev.overnight.macos.MacPlatform}.
 */
package dev.overnight.macos;
