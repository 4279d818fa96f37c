/** Overnight's sqlite module. */
package dev.overnight.sqlite;
