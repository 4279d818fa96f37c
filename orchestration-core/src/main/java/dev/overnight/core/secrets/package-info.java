/**
 * Keeping secrets secret: the {@link dev.overnight.core.secrets.Redactor} that takes environment
 * secrets and credential-shaped text out of transcripts, terminal output, the session stream,
 * stored errors and reports, and {@link dev.overnight.core.secrets.PrivateFiles}, which creates the
 * state folder's folders and files for their owner only.
 */
package dev.overnight.core.secrets;
