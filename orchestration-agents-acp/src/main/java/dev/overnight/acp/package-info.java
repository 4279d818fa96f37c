/** Overnight's agents-acp module. */
package dev.overnight.acp;
