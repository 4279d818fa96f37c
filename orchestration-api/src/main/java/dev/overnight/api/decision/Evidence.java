package dev.overnight.api.decision;

import java.util.Objects;
import java.util.Optional;

/**
 * One fact a candidate rests on, precise enough to check by hand: a commit, a line, a coverage
 * figure, a test file that references the code.
 *
 * @param kind what sort of fact, snake_case, e.g. {@code commit}, {@code todo}, {@code coverage},
 *     {@code co_change}, {@code reference}, {@code size}, {@code checker}
 * @param detail the fact in words, e.g. {@code "a1b2c3d fix NPE in parser (2025-01-04)"}
 * @param file the file it is about, relative to the workspace, if any
 * @param line the 1-based line it is about, if any
 * @param commit the commit it is about, if any
 * @since 0.1.0
 */
public record Evidence(
    String kind,
    String detail,
    Optional<String> file,
    Optional<Integer> line,
    Optional<String> commit) {
  /** Validates the components. */
  public Evidence {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(commit, "commit");
  }

  /** A fact about nothing more precise than its words. */
  public static Evidence of(String kind, String detail) {
    return new Evidence(kind, detail, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A fact about a file. */
  public static Evidence ofFile(String kind, String detail, String file) {
    return new Evidence(kind, detail, Optional.of(file), Optional.empty(), Optional.empty());
  }
}
