/** Overnight's server module. */
package dev.overnight.server;
