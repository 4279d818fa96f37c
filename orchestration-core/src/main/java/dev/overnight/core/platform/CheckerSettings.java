package dev.overnight.core.platform;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.constraint.ConstraintSettings;
import java.util.List;

/**
 * Validation helpers for {@link dev.overnight.api.constraint.ConstraintCheckerProvider#create}:
 * every rejection is a {@link ConfigException} whose problem names the JSON path of the offending
 * value, so a user finds it in the file.
 *
 * <p>A built-in checker's settings live at {@code /constraints/<name>}; a plugin's at {@code
 * /constraints/checkers/<name>}.
 *
 * @since 0.1.0
 */
public final class CheckerSettings {
  private CheckerSettings() {}

  /** The JSON Pointer of a checker's own settings. */
  public static String path(String checkerName) {
    String escaped = checkerName.replace("~", "~0").replace("/", "~1");
    return Constraints.BUILT_IN.contains(checkerName)
        ? "/constraints/" + escaped
        : "/constraints/checkers/" + escaped;
  }

  /** A rejection of the checker's settings as a whole. */
  public static ConfigException invalid(ConstraintSettings settings, String message) {
    return invalidAt(path(settings.name()), message);
  }

  /** A rejection of one key inside the checker's settings object. */
  public static ConfigException invalid(ConstraintSettings settings, String key, String message) {
    return invalidAt(path(settings.name()) + "/" + key, message);
  }

  /**
   * A rejection of the value at an arbitrary JSON Pointer, e.g. {@code /constraints/idle_minutes}.
   */
  public static ConfigException invalidAt(String pointer, String message) {
    return new ConfigException(null, List.of(new ConfigProblem(pointer, message)));
  }

  /**
   * Checks that an on/off checker was given {@code true} or {@code false} and returns it.
   *
   * @throws ConfigException when the value is anything else
   */
  public static boolean requireFlag(ConstraintSettings settings) {
    if (settings.value() instanceof Boolean b) {
      return b;
    }
    throw invalid(settings, "must be true or false, not " + describe(settings.value()));
  }

  /** How a JSON value is shown in a message: strings quoted, others as written. */
  public static String describe(Object value) {
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    if (value instanceof Number n) {
      return Numbers.plain(n.doubleValue());
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof java.util.Map<?, ?>) {
      return "an object";
    }
    return String.valueOf(value);
  }
}
