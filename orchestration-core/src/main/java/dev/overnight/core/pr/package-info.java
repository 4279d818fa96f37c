/** What became of the pull requests Overnight opened: their states, read from the forge. */
package dev.overnight.core.pr;
