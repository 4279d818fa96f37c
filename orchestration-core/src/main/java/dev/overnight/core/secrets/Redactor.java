package dev.overnight.core.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.OrchestrationConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before Overnight writes or shows it: the values of environment
 * variables whose names say they are secret (keys, tokens, passwords), and anything shaped like a
 * well-known credential (Anthropic/OpenAI {@code sk-} keys, GitHub, Slack, AWS and Google keys,
 * bearer tokens). A value is replaced by {@code [REDACTED:NAME]}, a shape by {@code [REDACTED]}.
 *
 * <p>One redactor serves every place a secret could leak to: transcripts and the session stream,
 * terminal output on its way to the agent, errors stored with a task and the morning report. The
 * runtime builds it with {@link #forConfig} from the environment it gives its providers plus the
 * {@code env} entries of the config's agents, so what an agent was started with is what is taken
 * out of what it produced.
 *
 * <p>Values shorter than eight characters are left alone: they would turn ordinary words into
 * redaction marks. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Redactor {
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(api[_-]?key|(^|_)key$|token|secret|passw(or)?d|credential|private[_-]?key"
              // "auth" but not "author": GIT_AUTHOR_NAME is nobody's secret.
              + "|auth(?!or)).*");
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
  private static final Redactor SHAPES_ONLY = new Redactor(List.of());

  private record Secret(String name, String value) {}

  private final List<Secret> secrets;

  private Redactor(List<Secret> secrets) {
    this.secrets = secrets;
  }

  /** A redactor that knows no variable and removes credential shapes only. */
  public static Redactor shapesOnly() {
    return SHAPES_ONLY;
  }

  /** Redacts the values of the secret-named variables of {@code environment}, plus shapes. */
  public static Redactor forEnvironment(Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment");
    return of(List.copyOf(environment.entrySet()));
  }

  /**
   * What a runtime of {@code config} redacts: the secret-named variables of the environment its
   * agents inherit, and of the {@code env} entries its config adds for each agent.
   */
  public static Redactor forConfig(OrchestrationConfig config, Map<String, String> environment) {
    Objects.requireNonNull(config, "config");
    List<Map.Entry<String, String>> variables = new ArrayList<>(environment.entrySet());
    for (AgentCommand agent : config.agents().values()) {
      variables.addAll(agent.env().entrySet());
    }
    return of(variables);
  }

  private static Redactor of(List<Map.Entry<String, String>> variables) {
    Set<Secret> secrets = new LinkedHashSet<>();
    for (Map.Entry<String, String> e : variables) {
      String value = e.getValue();
      if (value != null
          && value.length() >= MIN_SECRET_LENGTH
          && SECRET_NAME.matcher(e.getKey()).matches()) {
        secrets.add(new Secret(e.getKey(), value));
        // As it appears inside JSON text (a transcript line): quotes and backslashes escaped.
        String escaped = jsonEscaped(value);
        if (!escaped.equals(value)) {
          secrets.add(new Secret(e.getKey(), escaped));
        }
      }
    }
    List<Secret> sorted = new ArrayList<>(secrets);
    // Longest first, so a secret that contains another is removed whole.
    sorted.sort(Comparator.comparingInt((Secret s) -> s.value.length()).reversed());
    return new Redactor(List.copyOf(sorted));
  }

  /** {@code text} with every secret replaced; the same instance when there was none. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
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

  /** The values of {@code map} redacted, in its order; the same instance when there was none. */
  public Map<String, String> redactValues(Map<String, String> map) {
    Map<String, String> out = null;
    for (Map.Entry<String, String> e : map.entrySet()) {
      String value = redact(e.getValue());
      if (value != e.getValue() && out == null) {
        out = new LinkedHashMap<>(map);
      }
      if (out != null) {
        out.put(e.getKey(), value);
      }
    }
    return out == null ? map : out;
  }

  /**
   * A JSON tree with every string value redacted (names are kept): a copy when something was
   * removed, else {@code node} itself, which is never changed.
   */
  public JsonNode redact(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      String text = node.textValue();
      String clean = redact(text);
      return clean == text ? node : JsonNodeFactory.instance.textNode(clean);
    }
    if (node.isArray()) {
      ArrayNode copy = null;
      for (int i = 0; i < node.size(); i++) {
        JsonNode element = node.get(i);
        JsonNode clean = redact(element);
        if (clean != element && copy == null) {
          copy = ((ArrayNode) node).deepCopy();
        }
        if (copy != null) {
          copy.set(i, clean);
        }
      }
      return copy == null ? node : copy;
    }
    if (node.isObject()) {
      ObjectNode copy = null;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode clean = redact(field.getValue());
        if (clean != field.getValue() && copy == null) {
          copy = ((ObjectNode) node).deepCopy();
        }
        if (copy != null) {
          copy.set(field.getKey(), clean);
        }
      }
      return copy == null ? node : copy;
    }
    return node;
  }

  @Override
  public String toString() {
    return "Redactor[" + secrets.stream().map(Secret::name).distinct().count() + " variables]";
  }

  private static String jsonEscaped(String value) {
    String quoted = JsonNodeFactory.instance.textNode(value).toString();
    return quoted.substring(1, quoted.length() - 1);
  }
}
