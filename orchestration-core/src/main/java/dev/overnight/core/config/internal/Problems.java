package dev.overnight.core.config.internal;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem found in one document, so all of them are reported at once. */
public final class Problems {
  private final List<ConfigProblem> list = new ArrayList<>();

  /** The longest message kept: a problem echoes what it found, and that may be anything. */
  static final int MAX_MESSAGE = 300;

  /** Records a problem at a JSON Pointer, its message cut to {@value #MAX_MESSAGE} characters. */
  public void add(String path, String message) {
    String kept =
        message.length() <= MAX_MESSAGE
            ? message
            : message.substring(0, MAX_MESSAGE - 1) + "… (" + message.length() + " characters)";
    list.add(new ConfigProblem(path, kept));
  }

  /**
   * Records a problem whose message is Overnight's own words only, nothing echoed from the input
   * (such as the list of keys a section knows), kept whole however long it grows.
   */
  public void addWhole(String path, String message) {
    list.add(new ConfigProblem(path, message));
  }

  /** Whether nothing has been recorded. */
  public boolean isEmpty() {
    return list.isEmpty();
  }

  /** Whether a problem was recorded at {@code path} or below it. */
  public boolean hasAt(String path) {
    return list.stream().anyMatch(p -> p.path().equals(path) || p.path().startsWith(path + "/"));
  }

  /** The problems, sorted by path. */
  public List<ConfigProblem> sorted() {
    List<ConfigProblem> copy = new ArrayList<>(list);
    copy.sort(null);
    return List.copyOf(copy);
  }

  /** Throws a {@link ConfigException} if anything was recorded. */
  public void throwIfAny(String source) {
    if (!list.isEmpty()) {
      throw new ConfigException(source, sorted());
    }
  }
}
