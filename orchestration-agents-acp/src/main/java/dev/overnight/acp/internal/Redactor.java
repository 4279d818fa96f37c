package dev.overnight.acp.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is written anywhere: the values of the agent's environment
 * variables whose names say they are secret (keys, tokens, passwords), and anything shaped like a
 * well-known credential (Anthropic/OpenAI {@code sk-} keys, GitHub, Slack, AWS and Google keys,
 * bearer tokens). Immutable and thread-safe.
 */
final class Redactor {
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(api[_-]?key|token|secret|passw(or)?d|credential|private[_-]?key|auth).*");
  private static final Pattern SECRET_SHAPE =
      Pattern.compile(
          "sk-[A-Za-z0-9_\\-]{16,}"
              + "|gh[pousr]_[A-Za-z0-9]{20,}"
              + "|github_pat_[A-Za-z0-9_]{20,}"
              + "|xox[abprs]-[A-Za-z0-9\\-]{10,}"
              + "|AKIA[0-9A-Z]{16}"
              + "|AIza[0-9A-Za-z_\\-]{35}"
              + "|(?i:bearer)\\s+[A-Za-z0-9._\\-~+/]{16,}=*");
  private static final int MIN_SECRET_LENGTH = 8;

  private record Secret(String name, String value) {}

  private final List<Secret> secrets;

  private Redactor(List<Secret> secrets) {
    this.secrets = secrets;
  }

  /** Redacts the secret-named variables of {@code environment}, plus credential shapes. */
  static Redactor forEnvironment(Map<String, String> environment) {
    List<Secret> secrets = new ArrayList<>();
    for (Map.Entry<String, String> e : environment.entrySet()) {
      String value = e.getValue();
      if (value != null
          && value.length() >= MIN_SECRET_LENGTH
          && SECRET_NAME.matcher(e.getKey()).matches()) {
        secrets.add(new Secret(e.getKey(), value));
        String escaped = jsonEscaped(value);
        if (!escaped.equals(value)) {
          secrets.add(new Secret(e.getKey(), escaped));
        }
      }
    }
    // Longest first, so a secret that contains another is removed whole.
    secrets.sort(Comparator.comparingInt((Secret s) -> s.value.length()).reversed());
    return new Redactor(List.copyOf(secrets));
  }

  String redact(String text) {
    String out = text;
    for (Secret s : secrets) {
      if (out.contains(s.value)) {
        out = out.replace(s.value, "[REDACTED:" + s.name + "]");
      }
    }
    Matcher m = SECRET_SHAPE.matcher(out);
    if (!m.find()) {
      return out;
    }
    StringBuilder sb = new StringBuilder(out.length());
    do {
      m.appendReplacement(sb, "[REDACTED]");
    } while (m.find());
    m.appendTail(sb);
    return sb.toString();
  }

  private static String jsonEscaped(String value) {
    String quoted = Json.NODES.textNode(value).toString();
    return quoted.substring(1, quoted.length() - 1);
  }
}
