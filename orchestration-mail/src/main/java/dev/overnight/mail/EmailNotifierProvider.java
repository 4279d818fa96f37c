package dev.overnight.mail;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationException;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.notify.NotifierProvider;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code type: email}: sends each notification as a plain-text email over SMTP: {@code host},
 * {@code port} (default 587; 465 with {@code security: tls}, 25 with {@code none}), {@code
 * security} ({@code starttls}, the default, required before anything is sent; {@code tls} from the
 * first byte; {@code none} on a trusted network only), {@code from}, {@code to}, and optionally
 * {@code username} with the password in the variable {@code password_env} names. Connecting,
 * reading and writing each give up after {@code timeout_sec} (default 10).
 *
 * <p>Found through {@link java.util.ServiceLoader}; thread-safe.
 *
 * @since 0.1.0
 */
public final class EmailNotifierProvider implements NotifierProvider {
  /** The type this provider serves. */
  public static final String TYPE = "email";

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** For {@link java.util.ServiceLoader}. */
  public EmailNotifierProvider() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(NotifierSettings settings, ProviderContext context) {
    String host = required(settings, "host");
    String security = settings.string("security").orElse("starttls").toLowerCase(Locale.ROOT);
    long port =
        settings
            .integer("port")
            .orElse(
                switch (security) {
                  case "tls" -> 465L;
                  case "none" -> 25L;
                  default -> 587L;
                });
    InternetAddress from = address(settings, "from", required(settings, "from"));
    List<String> to = settings.strings("to");
    if (to.isEmpty()) {
      throw problem(settings.path() + "/to", "is required: at least one address");
    }
    List<InternetAddress> recipients = new ArrayList<>();
    for (int i = 0; i < to.size(); i++) {
      recipients.add(address(settings, "to/" + i, to.get(i)));
    }
    Optional<String> user = settings.string("username");
    Optional<String> password = settings.secret("password_env", context.environment());
    Duration timeout =
        settings.integer("timeout_sec").map(Duration::ofSeconds).orElse(DEFAULT_TIMEOUT);

    Properties p = new Properties();
    String millis = Long.toString(timeout.toMillis());
    String protocol = security.equals("tls") ? "smtps" : "smtp";
    String prefix = "mail." + protocol + ".";
    p.put("mail.transport.protocol", protocol);
    p.put(prefix + "host", host);
    p.put(prefix + "port", Long.toString(port));
    p.put(prefix + "connectiontimeout", millis);
    p.put(prefix + "timeout", millis);
    p.put(prefix + "writetimeout", millis);
    if (security.equals("starttls")) {
      p.put(prefix + "starttls.enable", "true");
      p.put(prefix + "starttls.required", "true");
    }
    if (!security.equals("none")) {
      p.put(prefix + "ssl.checkserveridentity", "true");
    }
    Authenticator auth = null;
    if (user.isPresent()) {
      p.put(prefix + "auth", "true");
      String u = user.get();
      String pw = password.orElse("");
      auth =
          new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
              return new PasswordAuthentication(u, pw);
            }
          };
    }
    return new Email(Session.getInstance(p, auth), protocol, host, from, recipients);
  }

  private static String required(NotifierSettings s, String key) {
    return s.string(key).orElseThrow(() -> problem(s.path() + "/" + key, "is required"));
  }

  private static InternetAddress address(NotifierSettings s, String key, String text) {
    try {
      return new InternetAddress(text, true);
    } catch (AddressException e) {
      throw problem(s.path() + "/" + key, "\"" + text + "\" is not an email address");
    }
  }

  private static ConfigException problem(String path, String message) {
    return new ConfigException(null, List.of(new ConfigProblem(path, message)));
  }

  /** Sends through one SMTP server. */
  private static final class Email implements Notifier {
    private final Session session;
    private final String protocol;
    private final String host;
    private final InternetAddress from;
    private final List<InternetAddress> to;

    Email(
        Session session,
        String protocol,
        String host,
        InternetAddress from,
        List<InternetAddress> to) {
      this.session = session;
      this.protocol = protocol;
      this.host = host;
      this.from = from;
      this.to = List.copyOf(to);
    }

    @Override
    public String describe() {
      return "email through " + host;
    }

    @Override
    public void send(Notification n) {
      try {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(from);
        m.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
        m.setSubject(n.title(), StandardCharsets.UTF_8.name());
        m.setSentDate(Date.from(n.at()));
        m.setText(n.text(), StandardCharsets.UTF_8.name());
        m.setHeader("X-Overnight-Kind", n.kind().key());
        if (n.attention().isPresent()) {
          m.setHeader("X-Overnight-Attention", n.attention().get().key());
        }
        if (n.kind() == NotificationKind.NEEDS_HUMAN) {
          m.setHeader("Importance", "high");
        }
        try (Transport t = session.getTransport(protocol)) {
          t.connect();
          m.saveChanges();
          t.sendMessage(m, m.getAllRecipients());
        }
      } catch (MessagingException e) {
        throw new NotificationException(describe() + " failed: " + e.getMessage(), e);
      }
    }

    @Override
    public String toString() {
      return describe();
    }
  }
}
