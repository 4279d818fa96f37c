/** Overnight's macos module. */
package dev.overnight.macos;
