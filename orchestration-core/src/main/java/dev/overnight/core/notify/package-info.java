/**
 * Notifications: one message when a night ends and one when a task needs a human, sent through
 * every notifier the config lists, each failure logged and never in the night's way.
 */
package dev.overnight.core.notify;
