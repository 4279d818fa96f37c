package dev.overnight.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.notify.Attention;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationException;
import dev.overnight.api.notify.NotificationItem;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.notify.NotifierProvider;
import dev.overnight.fakes.ManualTimeSource;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The email notifier against a real SMTP server on 127.0.0.1 (GreenMail). */
class EmailNotifierProviderTest {
  private static final Instant END = Instant.parse("2026-11-25T05:00:00Z");

  @TempDir Path dir;

  private GreenMail smtp;
  private final Map<String, String> environment = new HashMap<>();

  @BeforeEach
  void aMailServer() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.setUser("overnight@example.com", "overnight", "mail-secret-42");
    smtp.start();
  }

  @AfterEach
  void stop() {
    smtp.stop();
  }

  private ProviderContext context() {
    return ProviderContext.builder(
            OrchestrationConfig.builder(ConfigValue.of(dir.toString())).id("mail-test").build())
        .timeSource(ManualTimeSource.at("2026-11-25T05:00:00Z"))
        .stateDirectory(dir.resolve("state"))
        .homeDirectory(dir.resolve("home"))
        .environment(environment)
        .build();
  }

  private Notifier notifier(Map<String, Object> options) {
    Map<String, Object> all = new HashMap<>();
    all.put("host", "127.0.0.1");
    all.put("port", (long) smtp.getSmtp().getPort());
    all.put("from", "overnight@example.com");
    all.put("to", List.of("me@example.com", "team@example.com"));
    all.putAll(options);
    return new EmailNotifierProvider().create(NotifierSettings.of(2, "email", all), context());
  }

  private static Notification needsHuman() {
    return new Notification(
        NotificationKind.NEEDS_HUMAN,
        Optional.of(Attention.PERMISSION_REFUSED),
        "mail-test",
        END,
        "Overnight mail-test: task 1234abcd needs you: Edit the hosts file",
        "Task \"Edit the hosts file\": the permission policy refused /etc/hosts.\n",
        List.of(
            new NotificationItem(
                Optional.of("1234abcd"), "Edit the hosts file", "failed", "", Optional.empty())),
        Optional.empty());
  }

  @Test
  void isFoundByTheServiceLoaderUnderItsType() {
    assertThat(ServiceLoader.load(NotifierProvider.class).stream().map(p -> p.get().type()))
        .contains("email");
  }

  @Test
  void sendsTheNotificationAsPlainTextToEveryRecipientLoggedInWithThePasswordFromTheEnvironment()
      throws Exception {
    environment.put("SMTP_PASSWORD", "mail-secret-42");
    Notifier email =
        notifier(
            Map.of("security", "none", "username", "overnight", "password_env", "SMTP_PASSWORD"));

    email.send(needsHuman());

    assertThat(smtp.waitForIncomingEmail(30_000, 2)).isTrue();
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(2);
    MimeMessage m = received[0];
    assertThat(m.getSubject())
        .isEqualTo("Overnight mail-test: task 1234abcd needs you: Edit the hosts file");
    assertThat(m.getFrom()[0].toString()).isEqualTo("overnight@example.com");
    assertThat(m.getAllRecipients())
        .extracting(Object::toString)
        .containsExactly("me@example.com", "team@example.com");
    assertThat(GreenMailUtil.getBody(m)).contains("the permission policy refused /etc/hosts");
    assertThat(m.getHeader("X-Overnight-Kind")).containsExactly("needs_human");
    assertThat(m.getHeader("X-Overnight-Attention")).containsExactly("permission_refused");
    assertThat(m.getSentDate().toInstant()).isEqualTo(END);
  }

  @Test
  void aWrongPasswordIsAFailedDeliveryNotAnEmail() {
    environment.put("SMTP_PASSWORD", "not-the-password");
    Notifier email =
        notifier(
            Map.of("security", "none", "username", "overnight", "password_env", "SMTP_PASSWORD"));

    assertThatThrownBy(() -> email.send(needsHuman()))
        .isInstanceOf(NotificationException.class)
        .hasMessageStartingWith("email through 127.0.0.1 failed");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void byDefaultNothingIsSentInTheClearToAServerWithoutStartTls() {
    Notifier email = notifier(Map.of());

    assertThatThrownBy(() -> email.send(needsHuman())).isInstanceOf(NotificationException.class);
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aServerThatIsNotThereIsAFailedDelivery() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Notifier email = notifier(Map.of("security", "none", "port", (long) closed, "timeout_sec", 2L));

    assertThatThrownBy(() -> email.send(needsHuman()))
        .isInstanceOf(NotificationException.class)
        .hasMessageContaining("failed");
  }

  @Test
  void anUnsetPasswordVariableAndABadAddressAreConfigProblemsWithTheirPaths() {
    assertThatThrownBy(
            () -> notifier(Map.of("username", "overnight", "password_env", "SMTP_PASSWORD")))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems().get(0))
        .extracting(ConfigProblem::path)
        .isEqualTo("/notifications/2/password_env");
    assertThatThrownBy(() -> notifier(Map.of("to", List.of("me@example.com", "nobody@"))))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems().get(0).path())
        .isEqualTo("/notifications/2/to/1");
  }
}
