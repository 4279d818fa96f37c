/** The rehearsal's parts: each concern of a night checked on its own. Not for users. */
package dev.overnight.core.rehearsal.internal;
