/** Overnight's own notifiers (webhook, Slack, ntfy, desktop) and what they share. */
package dev.overnight.core.notify.internal;
