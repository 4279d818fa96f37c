package dev.overnight.core.decision.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Release versions as Maven and npm write them, compared the way their users read them: the numbers
 * first ({@code 1.10.0} after {@code 1.9.2}), then a release before its pre-releases are dropped. A
 * version's <em>flavour</em> is what follows its numbers when that is not a pre-release marker
 * ({@code 33.0.0-jre} and {@code 33.0.0-android} are two lines of Guava): an upgrade stays in its
 * flavour. Stateless.
 */
public final class Versions {
  private static final Pattern SHAPE = Pattern.compile("^v?(\\d+(?:\\.\\d+)*)(.*)$");
  private static final Pattern PRE_RELEASE =
      Pattern.compile(
          "(?i)(^|[.-])(alpha|beta|a|b|rc|cr|m|milestone|snapshot|preview|pre|ea|dev|canary|next"
              + "|nightly|incubating)(\\d*|[.-].*)?$");
  private static final Pattern RELEASE_SUFFIX = Pattern.compile("(?i)^[.-](final|release|ga)$");

  private Versions() {}

  /**
   * A parsed version.
   *
   * @param text as written
   * @param numbers its leading numbers
   * @param flavour what follows them, lower case, when it is not a pre-release marker (e.g. {@code
   *     -jre}); empty for a plain release
   * @param preRelease whether it is an alpha, beta, milestone, candidate or snapshot
   */
  public record Version(String text, List<Long> numbers, String flavour, boolean preRelease)
      implements Comparable<Version> {
    /** Copies the numbers. */
    public Version {
      numbers = List.copyOf(numbers);
    }

    @Override
    public int compareTo(Version o) {
      int n = Math.max(numbers.size(), o.numbers.size());
      for (int i = 0; i < n; i++) {
        long a = i < numbers.size() ? numbers.get(i) : 0;
        long b = i < o.numbers.size() ? o.numbers.get(i) : 0;
        if (a != b) {
          return Long.compare(a, b);
        }
      }
      return Boolean.compare(o.preRelease, preRelease);
    }

    /** The first number. */
    public long major() {
      return numbers.get(0);
    }
  }

  /** Reads {@code text}; empty when it does not start with a number. */
  public static Optional<Version> parse(String text) {
    Matcher m = SHAPE.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    List<Long> numbers = new ArrayList<>();
    for (String part : m.group(1).split("\\.")) {
      if (part.length() > 18) {
        return Optional.empty();
      }
      numbers.add(Long.parseLong(part));
    }
    String rest = m.group(2);
    boolean pre = !rest.isEmpty() && PRE_RELEASE.matcher(rest).find();
    String flavour =
        pre || RELEASE_SUFFIX.matcher(rest).matches() ? "" : rest.toLowerCase(Locale.ROOT);
    return Optional.of(new Version(text.strip(), numbers, flavour, pre));
  }

  /**
   * The newest release among {@code known} that is newer than {@code current} and of its flavour;
   * empty when there is none (or {@code current} cannot be read).
   */
  public static Optional<Version> newerRelease(String current, Collection<String> known) {
    Optional<Version> now = parse(current);
    if (now.isEmpty()) {
      return Optional.empty();
    }
    Version best = null;
    for (String k : known) {
      Optional<Version> v = parse(k);
      if (v.isEmpty()
          || v.get().preRelease()
          || !v.get().flavour().equals(now.get().flavour())
          || v.get().compareTo(now.get()) <= 0) {
        continue;
      }
      if (best == null || v.get().compareTo(best) > 0) {
        best = v.get();
      }
    }
    return Optional.ofNullable(best);
  }
}
