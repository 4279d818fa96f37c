package dev.overnight.api.config;

import dev.overnight.api.notify.NotificationKind;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of the config's {@code notifications} list: a receiver of notifications, served by the
 * {@link dev.overnight.api.notify.NotifierProvider} of its {@code type}.
 *
 * <p>Secrets are never settings: an entry names the environment variable that holds one ({@code
 * url_env}, {@code token_env}, {@code password_env}) and the notifier reads it with {@link
 * #secret}.
 *
 * @param index the entry's place in the list, for its JSON path
 * @param type the provider's type, e.g. {@code slack}
 * @param on the kinds of notification it receives (by default all)
 * @param options the entry's other settings, as JSON values: {@code String}, {@code Long}, {@code
 *     Double}, {@code Boolean}, {@code List} of strings
 * @since 0.1.0
 */
public record NotifierSettings(
    int index, String type, Set<NotificationKind> on, Map<String, Object> options) {

  /** Checks presence; copies the kinds and options. */
  public NotifierSettings {
    Objects.requireNonNull(type, "type");
    on = on.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(on));
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** An entry of {@code type} at {@code index} that receives every kind. */
  public static NotifierSettings of(int index, String type, Map<String, Object> options) {
    return new NotifierSettings(index, type, EnumSet.allOf(NotificationKind.class), options);
  }

  /** The entry's JSON path, e.g. {@code /notifications/0}. */
  public String path() {
    return "/notifications/" + index;
  }

  /** Whether it receives notifications of {@code kind}. */
  public boolean receives(NotificationKind kind) {
    return on.contains(kind);
  }

  /** A string setting. */
  public Optional<String> string(String key) {
    return Optional.ofNullable(options.get(key))
        .filter(String.class::isInstance)
        .map(String.class::cast);
  }

  /** A list of strings; a single string reads as a list of one. */
  public List<String> strings(String key) {
    Object v = options.get(key);
    if (v instanceof String s) {
      return List.of(s);
    }
    if (v instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  /** A whole-number setting. */
  public Optional<Long> integer(String key) {
    return Optional.ofNullable(options.get(key))
        .filter(Number.class::isInstance)
        .map(n -> ((Number) n).longValue());
  }

  /** A boolean setting, or {@code fallback} when absent. */
  public boolean flag(String key, boolean fallback) {
    return Optional.ofNullable(options.get(key))
        .filter(Boolean.class::isInstance)
        .map(Boolean.class::cast)
        .orElse(fallback);
  }

  /**
   * The secret held by the environment variable the setting {@code key} names (such as {@code
   * url_env}), when the entry names one.
   *
   * @throws ConfigException naming the setting's JSON path when the variable is not set or empty
   */
  public Optional<String> secret(String key, Map<String, String> environment) {
    Optional<String> variable = string(key);
    if (variable.isEmpty()) {
      return Optional.empty();
    }
    String value = environment.get(variable.get());
    if (value == null || value.isBlank()) {
      throw new ConfigException(
          null,
          List.of(
              new ConfigProblem(
                  path() + "/" + key,
                  "the environment variable "
                      + variable.get()
                      + " is not set; set it to the "
                      + type
                      + " notifier's secret before Overnight starts")));
    }
    return Optional.of(value);
  }

  /** The entry's settings without their values, which may be private: type and keys only. */
  @Override
  public String toString() {
    return "NotifierSettings["
        + path()
        + ", type="
        + type
        + ", on="
        + on
        + ", keys="
        + options.keySet()
        + "]";
  }
}
