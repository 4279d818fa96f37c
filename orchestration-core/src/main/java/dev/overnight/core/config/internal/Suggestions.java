package dev.overnight.core.config.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * "Did you mean" for misspelt keys and names: known renames first, then the closest known word
 * within a small edit distance.
 */
public final class Suggestions {

  /** Keys the original design's examples used, mapped to ours. */
  private static final Map<String, String> RENAMED =
      Map.of(
          "auto_push", "push",
          "create_draft", "draft",
          "include_globs", "include",
          "exclude_globs", "exclude",
          "cpu_usage", "cpu_max_percentage",
          "workspace", "workspace_root",
          "cron", "expression",
          "catchup", "on_missed");

  private Suggestions() {}

  /** The best suggestion for {@code word} among {@code known}, if one is close enough. */
  public static Optional<String> closest(String word, Collection<String> known) {
    String renamed = RENAMED.get(word);
    if (renamed != null && known.contains(renamed)) {
      return Optional.of(renamed);
    }
    String snake = toSnakeCase(word);
    if (!snake.equals(word) && known.contains(snake)) {
      return Optional.of(snake);
    }
    String lower = word.toLowerCase(Locale.ROOT).replace('-', '_');
    if (lower.length() >= 4) {
      Optional<String> extended =
          known.stream()
              .filter(k -> k.startsWith(lower) || lower.startsWith(k))
              .min(Comparator.comparingInt(String::length).thenComparing(k -> k));
      if (extended.isPresent()) {
        return extended;
      }
    }
    return known.stream()
        .filter(k -> distance(lower, k.toLowerCase(Locale.ROOT).replace('-', '_')) <= limit(k))
        .min(
            Comparator.comparingInt(
                    (String k) -> distance(lower, k.toLowerCase(Locale.ROOT).replace('-', '_')))
                .thenComparing(k -> k));
  }

  /**
   * {@code "; did you mean \"x\"?"} for the {@linkplain #closest closest} of {@code known} to
   * {@code word}, or nothing: for a message about an unknown name.
   */
  static String didYouMean(String word, Collection<String> known) {
    return closest(word, known).map(s -> "; did you mean \"" + s + "\"?").orElse("");
  }

  private static int limit(String known) {
    return known.length() <= 4 ? 1 : known.length() <= 8 ? 2 : 3;
  }

  static String toSnakeCase(String camel) {
    StringBuilder out = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Levenshtein distance with transpositions counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
