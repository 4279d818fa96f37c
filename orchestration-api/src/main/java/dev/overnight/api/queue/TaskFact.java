package dev.overnight.api.queue;

import dev.overnight.api.fleet.Labels;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A typed key of a task's metadata: the name it is stored under and how its value is written and
 * read. Metadata travels as text (through every store and the JSON shapes); a fact gives it its
 * type back in one place, so writers and readers of, say, a task's cost never disagree on its name
 * or format. The facts Overnight records are in {@link TaskFacts}.
 *
 * <p>Immutable and thread-safe. Reading a value that does not parse as the fact's type gives empty,
 * never an exception: metadata may come from older versions or from users.
 *
 * @param <T> the value's type
 * @since 0.1.0
 */
public final class TaskFact<T> {
  private final String key;
  private final Function<String, T> parse;
  private final Function<T, String> format;

  private TaskFact(String key, Function<String, T> parse, Function<T, String> format) {
    this.key = Objects.requireNonNull(key, "key");
    this.parse = parse;
    this.format = format;
  }

  /** A fact holding text. */
  public static TaskFact<String> text(String key) {
    return new TaskFact<>(key, s -> s, s -> s);
  }

  /** A fact holding a whole number. */
  public static TaskFact<Long> count(String key) {
    return new TaskFact<>(key, Long::valueOf, String::valueOf);
  }

  /** A fact holding yes or no, written {@code true} or {@code false}. */
  public static TaskFact<Boolean> flag(String key) {
    return new TaskFact<>(
        key,
        s -> {
          if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException(s);
          }
          return Boolean.valueOf(s);
        },
        String::valueOf);
  }

  /**
   * A fact holding a set of {@linkplain dev.overnight.api.fleet.Labels labels}, written sorted and
   * comma-separated. Text holding an invalid label reads as empty.
   */
  public static TaskFact<Set<String>> labels(String key) {
    return new TaskFact<>(
        key,
        s -> Labels.of(s.isEmpty() ? List.of() : Arrays.asList(s.split(",", -1))),
        set -> String.join(",", Labels.of(set)));
  }

  /** A fact holding an amount of money in US dollars, written with four decimals. */
  public static TaskFact<Double> dollars(String key) {
    return new TaskFact<>(key, Double::valueOf, d -> String.format(Locale.ROOT, "%.4f", d));
  }

  /** The metadata key, e.g. {@code branch}. */
  public String key() {
    return key;
  }

  /** The value in {@code metadata}; empty when absent or not of this fact's type. */
  public Optional<T> from(Map<String, String> metadata) {
    String raw = metadata.get(key);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(parse.apply(raw));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The value on {@code task}; empty when absent or not of this fact's type. */
  public Optional<T> from(Task task) {
    return from(task.metadata());
  }

  /** The value as metadata text. */
  public String format(T value) {
    return format.apply(Objects.requireNonNull(value, "value"));
  }

  /** Writes {@code value} into {@code metadata} under this fact's key. */
  public void put(Map<String, String> metadata, T value) {
    metadata.put(key, format(value));
  }

  /** The one-entry metadata map holding {@code value}. */
  public Map<String, String> of(T value) {
    return Map.of(key, format(value));
  }

  @Override
  public String toString() {
    return key;
  }
}
