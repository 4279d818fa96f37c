package dev.overnight.core.notify.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.notify.NotifierProvider;
import dev.overnight.core.json.OvernightJson;
import java.net.URI;
import java.util.Map;

/**
 * {@code type: webhook}: posts each notification as JSON ({@code
 * docs/schema/notification.schema.json}) to the URL in the variable {@code url_env} names, with
 * {@code Authorization: Bearer} and the value of the variable {@code token_env} names, when it
 * names one.
 */
public final class WebhookNotifierProvider implements NotifierProvider {
  /** The type this provider serves. */
  public static final String TYPE = "webhook";

  /** For {@link java.util.ServiceLoader}. */
  public WebhookNotifierProvider() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(NotifierSettings settings, ProviderContext context) {
    URI url = HttpNotifierProviders.urlFromEnvironment(settings, context.environment());
    Map<String, String> headers =
        settings
            .secret("token_env", context.environment())
            .map(t -> Map.of("Authorization", "Bearer " + t))
            .orElse(Map.of());
    return new Webhook(url, headers, HttpNotifierProviders.poster(settings));
  }

  private record Webhook(URI url, Map<String, String> headers, HttpPost http) implements Notifier {
    @Override
    public String describe() {
      return "webhook on " + url.getHost();
    }

    @Override
    public void send(Notification n) {
      http.post(
          describe(),
          url,
          "application/json",
          headers,
          OvernightJson.write(OvernightJson.notification(n)));
    }

    @Override
    public String toString() {
      return describe();
    }
  }
}
