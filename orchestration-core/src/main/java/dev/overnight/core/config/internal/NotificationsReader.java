package dev.overnight.core.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.notify.NotificationKind;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the config's {@code notifications} list: for Overnight's own types ({@code webhook}, {@code
 * slack}, {@code ntfy}, {@code email}, {@code desktop}) every setting is checked, with its JSON
 * path; an entry of another type keeps its settings as written, for its provider. Secrets are
 * refused in the file: an entry names the environment variable that holds one.
 */
final class NotificationsReader {
  private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
  private static final Pattern TOPIC = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final Pattern ADDRESS = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
  private static final List<String> SECURITY = List.of("starttls", "tls", "none");
  private static final Map<String, String> SECRETS =
      Map.of("url", "url_env", "token", "token_env", "password", "password_env");

  private final Problems problems;
  private final ObjectMapper mapper;

  NotificationsReader(Problems problems, ObjectMapper mapper) {
    this.problems = problems;
    this.mapper = mapper;
  }

  List<NotifierSettings> read(JsonObject root) {
    int[] index = {0};
    return root.list(
        "notifications",
        (node, path) -> {
          int i = index[0]++;
          if (!node.isObject()) {
            problems.add(path, "expected an object but found " + JsonObject.describe(node));
            return null;
          }
          return entry(new JsonObject(node, path, problems), node, i);
        });
  }

  private NotifierSettings entry(JsonObject o, JsonNode node, int index) {
    Optional<String> type = o.requiredString("type");
    Set<NotificationKind> on = on(o);
    Map<String, Object> options = new LinkedHashMap<>();
    SECRETS.forEach(
        (plain, env) -> {
          if (node.has(plain)) {
            o.raw(plain); // reported here, not again as an unknown key
            problems.add(
                o.pathOf(plain),
                "a secret does not belong in the config file: put it in an environment variable"
                    + " and name that variable in \""
                    + env
                    + "\"");
          }
        });
    switch (type.orElse("")) {
      case "webhook" -> {
        envName(o, "url_env", true, options);
        envName(o, "token_env", false, options);
        timeout(o, options);
      }
      case "slack" -> {
        envName(o, "url_env", true, options);
        timeout(o, options);
      }
      case "ntfy" -> {
        o.requiredString("topic")
            .ifPresent(
                t -> {
                  if (!TOPIC.matcher(t).matches()) {
                    problems.add(
                        o.pathOf("topic"),
                        "\"" + t + "\" is not an ntfy topic: use 1-64 letters, digits, - and _");
                  }
                  options.put("topic", t);
                });
        o.string("server")
            .ifPresent(
                s -> {
                  if (!s.startsWith("http://") && !s.startsWith("https://")) {
                    problems.add(o.pathOf("server"), "\"" + s + "\" is not an http(s) URL");
                  }
                  options.put("server", s);
                });
        envName(o, "token_env", false, options);
        timeout(o, options);
      }
      case "email" -> {
        o.requiredString("host").ifPresent(h -> options.put("host", h));
        o.integer("port", 1, 65535, "between 1 and 65535").ifPresent(p -> options.put("port", p));
        o.requiredString("from")
            .ifPresent(
                f -> {
                  address(o.pathOf("from"), f);
                  options.put("from", f);
                });
        List<String> to = o.strings("to");
        if (!o.has("to") || to.isEmpty()) {
          problems.add(o.pathOf("to"), "is required: at least one address");
        }
        for (int i = 0; i < to.size(); i++) {
          address(o.pathOf("to") + "/" + i, to.get(i));
        }
        if (!to.isEmpty()) {
          options.put("to", List.copyOf(to));
        }
        o.string("username").ifPresent(u -> options.put("username", u));
        envName(o, "password_env", false, options);
        o.string("security")
            .ifPresent(
                s -> {
                  if (!SECURITY.contains(s)) {
                    problems.add(
                        o.pathOf("security"),
                        "\""
                            + s
                            + "\" is not a mail security: use \"starttls\", \"tls\" or \"none\"");
                  }
                  options.put("security", s);
                });
        timeout(o, options);
      }
      case "desktop", "" -> {
        // Nothing to set (or no type, already reported).
      }
      default -> {
        // Another provider's type: its settings as written, checked by it when it is created.
        for (String key : o.keys()) {
          if (!key.equals("type") && !key.equals("on") && !SECRETS.containsKey(key)) {
            o.raw(key).ifPresent(v -> options.put(key, mapper.convertValue(v, Object.class)));
          }
        }
      }
    }
    o.finish();
    return new NotifierSettings(index, type.orElse(""), on, options);
  }

  private Set<NotificationKind> on(JsonObject o) {
    if (!o.has("on")) {
      return EnumSet.allOf(NotificationKind.class);
    }
    List<String> kinds = o.strings("on");
    Set<NotificationKind> on = EnumSet.noneOf(NotificationKind.class);
    for (int i = 0; i < kinds.size(); i++) {
      String k = kinds.get(i);
      Optional<NotificationKind> kind = NotificationKind.parse(k);
      if (kind.isEmpty()) {
        problems.add(
            o.pathOf("on") + "/" + i,
            "\""
                + k
                + "\" is not a notification kind: use \"night_ended\", \"needs_human\" or"
                + " \"pipeline\"");
      }
      kind.ifPresent(on::add);
    }
    if (kinds.isEmpty()) {
      problems.add(o.pathOf("on"), "must name at least one kind, or be left out for all");
    }
    return on;
  }

  private void envName(JsonObject o, String key, boolean required, Map<String, Object> options) {
    Optional<String> name = required ? o.requiredString(key) : o.string(key);
    name.ifPresent(
        n -> {
          if (!ENV_NAME.matcher(n).matches()) {
            problems.add(
                o.pathOf(key),
                "\"" + n + "\" is not an environment variable name (letters, digits and _)");
          }
          options.put(key, n);
        });
  }

  private void timeout(JsonObject o, Map<String, Object> options) {
    o.integer("timeout_sec", 1, 60, "between 1 and 60")
        .ifPresent(t -> options.put("timeout_sec", t));
  }

  private void address(String path, String address) {
    if (!ADDRESS.matcher(address).matches()) {
      problems.add(path, "\"" + address + "\" is not an email address");
    }
  }
}
