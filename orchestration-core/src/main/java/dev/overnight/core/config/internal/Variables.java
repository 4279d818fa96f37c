package dev.overnight.core.config.internal;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code $WORKSPACE}, {@code $HOME}, {@code $USER}, {@code ${NAME}} (any environment
 * variable), {@code $$} (a literal dollar) and a leading {@code ~} in path fields.
 *
 * <p>Only whole names are replaced ({@code $HOMEX} is not {@code $HOME} followed by {@code X}); an
 * unset or unknown variable is an error naming it, never an empty string.
 */
public final class Variables {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)|\\$");

  private final Map<String, String> environment;
  private final String home;
  private final String user;

  /**
   * Creates an expander.
   *
   * @param environment the process environment (for {@code $WORKSPACE} and {@code ${NAME}})
   * @param home the user's home directory (for {@code $HOME} and {@code ~})
   * @param user the user's name (for {@code $USER})
   */
  public Variables(Map<String, String> environment, String home, String user) {
    this.environment = Map.copyOf(environment);
    this.home = home;
    this.user = user;
  }

  /** The result of expanding: the value, or the error explaining which variable failed. */
  public record Expansion(Optional<String> value, Optional<String> error) {}

  /** Expands the variables in {@code raw}. */
  public Expansion expand(String raw) {
    String text = raw;
    if (text.equals("~") || text.startsWith("~/")) {
      text = home + text.substring(1);
    }
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String token = m.group();
      String replacement;
      if (token.equals("$$")) {
        replacement = "$";
      } else if (token.equals("$")) {
        return error("a lone \"$\" is not a variable; write \"$$\" for a literal dollar sign");
      } else if (m.group(1) != null) {
        Optional<String> v = lookup(m.group(1));
        if (v.isEmpty()) {
          return error("variable ${" + m.group(1) + "} is not set");
        }
        replacement = v.get();
      } else {
        String name = m.group(2);
        if (!name.equals("WORKSPACE") && !name.equals("HOME") && !name.equals("USER")) {
          return error(
              "$"
                  + name
                  + " is not a known variable: use $WORKSPACE, $HOME, $USER, or ${"
                  + name
                  + "} for an environment variable");
        }
        Optional<String> v = lookup(name);
        if (v.isEmpty()) {
          return error(
              "variable $"
                  + name
                  + " is not set"
                  + (name.equals("WORKSPACE")
                      ? " (set the WORKSPACE environment variable or write the path)"
                      : ""));
        }
        replacement = v.get();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return new Expansion(Optional.of(out.toString()), Optional.empty());
  }

  private Optional<String> lookup(String name) {
    return switch (name) {
      case "HOME" -> Optional.ofNullable(home);
      case "USER" -> Optional.ofNullable(user);
      default -> Optional.ofNullable(environment.get(name)).filter(s -> !s.isEmpty());
    };
  }

  private static Expansion error(String message) {
    return new Expansion(Optional.empty(), Optional.of(message));
  }
}
