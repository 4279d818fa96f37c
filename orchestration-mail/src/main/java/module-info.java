/** Overnight's email notifier: notifications over SMTP through Jakarta Mail. */
module dev.overnight.mail {
  requires dev.overnight.api;
  requires jakarta.mail;

  exports dev.overnight.mail;

  provides dev.overnight.api.notify.NotifierProvider with
      dev.overnight.mail.EmailNotifierProvider;
}
