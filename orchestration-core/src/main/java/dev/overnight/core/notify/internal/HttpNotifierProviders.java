package dev.overnight.core.notify.internal;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.NotifierSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the HTTP notifiers share: their URL from the environment and their timeout. */
final class HttpNotifierProviders {
  /** Each request's bound when the entry sets no {@code timeout_sec}. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private HttpNotifierProviders() {}

  /** The poster with the entry's {@code timeout_sec}. */
  static HttpPost poster(NotifierSettings s) {
    return new HttpPost(s.integer("timeout_sec").map(Duration::ofSeconds).orElse(DEFAULT_TIMEOUT));
  }

  /**
   * The URL held by the variable {@code url_env} names.
   *
   * @throws ConfigException when the entry names none, the variable is unset, or it holds no
   *     http(s) URL
   */
  static URI urlFromEnvironment(NotifierSettings s, Map<String, String> environment) {
    String url =
        s.secret("url_env", environment)
            .orElseThrow(
                () ->
                    problem(
                        s.path() + "/url_env",
                        "is required: name the environment variable holding the URL"));
    return httpUrl(s.path() + "/url_env", url, "the variable " + s.string("url_env").orElse(""));
  }

  /** {@code text} as an http(s) URL, else a config problem at {@code path}. */
  static URI httpUrl(String path, String text, String what) {
    try {
      URI uri = new URI(text.strip());
      if (uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw problem(path, what + " does not hold an http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw problem(path, what + " does not hold a valid URL");
    }
  }

  static ConfigException problem(String path, String message) {
    return new ConfigException(null, List.of(new ConfigProblem(path, message)));
  }
}
