/** Overnight's linux module. */
package dev.overnight.linux;
