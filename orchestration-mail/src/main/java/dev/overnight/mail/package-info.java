/**
 * Email notifications: the {@code email} entries of the config's {@code notifications}, sent over
 * SMTP with Jakarta Mail.
 */
package dev.overnight.mail;
