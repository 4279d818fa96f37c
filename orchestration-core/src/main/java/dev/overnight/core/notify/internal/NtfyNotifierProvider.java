package dev.overnight.core.notify.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.notify.NotifierProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code type: ntfy}: publishes each notification to an ntfy topic ({@code server}, default {@value
 * #DEFAULT_SERVER}, and {@code topic}): the text as the body, the title, priority ({@code high}
 * when a human is needed), tags and the first link as headers; {@code Authorization: Bearer} with
 * the token in the variable {@code token_env} names, when it names one.
 */
public final class NtfyNotifierProvider implements NotifierProvider {
  /** The type this provider serves. */
  public static final String TYPE = "ntfy";

  /** The public ntfy server. */
  public static final String DEFAULT_SERVER = "https://ntfy.sh";

  /** For {@link java.util.ServiceLoader}. */
  public NtfyNotifierProvider() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(NotifierSettings settings, ProviderContext context) {
    String server = settings.string("server").orElse(DEFAULT_SERVER).replaceAll("/+$", "");
    String topic =
        settings
            .string("topic")
            .orElseThrow(
                () -> HttpNotifierProviders.problem(settings.path() + "/topic", "is required"));
    URI url =
        HttpNotifierProviders.httpUrl(
            settings.path() + "/server",
            server + "/" + URLEncoder.encode(topic, StandardCharsets.UTF_8),
            "server \"" + server + "\"");
    Map<String, String> auth =
        settings
            .secret("token_env", context.environment())
            .map(t -> Map.of("Authorization", "Bearer " + t))
            .orElse(Map.of());
    return new Ntfy(url, auth, HttpNotifierProviders.poster(settings));
  }

  /** The headers ntfy reads a message's title, priority, tags and click link from. */
  static Map<String, String> headers(Notification n) {
    Map<String, String> h = new LinkedHashMap<>();
    // Header values are ASCII on the wire; ntfy decodes RFC 2047 for the rest.
    h.put("Title", rfc2047(n.title()));
    boolean human = n.kind() == NotificationKind.NEEDS_HUMAN;
    h.put("Priority", human ? "high" : "default");
    h.put("Tags", human ? "warning" : "crescent_moon");
    n.items().stream()
        .flatMap(i -> i.link().stream())
        .findFirst()
        .ifPresent(link -> h.put("Click", link));
    return h;
  }

  private static String rfc2047(String text) {
    boolean ascii = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    if (ascii) {
      return text;
    }
    return "=?UTF-8?B?"
        + java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))
        + "?=";
  }

  private record Ntfy(URI url, Map<String, String> auth, HttpPost http) implements Notifier {
    @Override
    public String describe() {
      return "ntfy on " + url.getHost();
    }

    @Override
    public void send(Notification n) {
      Map<String, String> h = new LinkedHashMap<>(headers(n));
      h.putAll(auth);
      http.post(describe(), url, "text/plain; charset=utf-8", h, n.text());
    }

    @Override
    public String toString() {
      return describe();
    }
  }
}
