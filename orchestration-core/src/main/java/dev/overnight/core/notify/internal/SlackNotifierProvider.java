package dev.overnight.core.notify.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.notify.NotifierProvider;
import dev.overnight.core.json.OvernightJson;
import java.net.URI;
import java.util.Map;

/**
 * {@code type: slack}: posts each notification to a Slack incoming webhook (its URL, a secret, in
 * the variable {@code url_env} names) as a message whose {@code text} is the title in bold and the
 * text below it, Slack's special characters escaped.
 */
public final class SlackNotifierProvider implements NotifierProvider {
  /** The type this provider serves. */
  public static final String TYPE = "slack";

  /** For {@link java.util.ServiceLoader}. */
  public SlackNotifierProvider() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(NotifierSettings settings, ProviderContext context) {
    return new Slack(
        HttpNotifierProviders.urlFromEnvironment(settings, context.environment()),
        HttpNotifierProviders.poster(settings));
  }

  /** The message Slack is sent for {@code n}. */
  static String body(Notification n) {
    ObjectNode o = OvernightJson.object();
    String icon = n.kind() == NotificationKind.NEEDS_HUMAN ? ":warning: " : ":crescent_moon: ";
    o.put("text", icon + "*" + escape(n.title()) + "*\n" + escape(n.text()));
    return OvernightJson.write(o);
  }

  /** Slack's three control characters, as its docs ask. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private record Slack(URI url, HttpPost http) implements Notifier {
    @Override
    public String describe() {
      return "slack";
    }

    @Override
    public void send(Notification n) {
      http.post("slack", url, "application/json", Map.of(), body(n));
    }

    @Override
    public String toString() {
      return describe();
    }
  }
}
