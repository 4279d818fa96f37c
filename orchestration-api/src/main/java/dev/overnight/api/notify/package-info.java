/**
 * Notifications: what Overnight tells people once a night ends and when a task needs a human, and
 * the SPI through which it is sent (a webhook, Slack, ntfy, email, the desktop, or your own).
 */
package dev.overnight.api.notify;
