package dev.overnight.core.decision.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Small helpers shared by the session history readers. None of them throws. */
public final class HistoryPaths {
  private HistoryPaths() {}

  /** A path string from a history file as a normalized absolute path, if it is one. */
  public static Optional<Path> absolute(String raw) {
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    try {
      Path p = Path.of(raw);
      return p.isAbsolute() ? Optional.of(p.normalize()) : Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code dir} is {@code root} or lies below it. */
  public static boolean within(Path dir, Path root) {
    return dir.normalize().startsWith(root.normalize());
  }

  /**
   * A file path recorded by an agent, made relative to {@code root} with {@code /} separators.
   * Relative paths are resolved against {@code cwd} first (where the agent ran). Empty when the
   * file lies outside {@code root} or the text is not a path.
   */
  public static Optional<String> relativize(String raw, Path cwd, Path root) {
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    try {
      Path p = Path.of(raw.strip());
      if (!p.isAbsolute()) {
        p = cwd.resolve(p);
      }
      p = p.normalize();
      Path r = root.normalize();
      if (!p.startsWith(r) || p.equals(r)) {
        return Optional.empty();
      }
      return Optional.of(r.relativize(p).toString().replace(File.separatorChar, '/'));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** An instant from an ISO-8601 text or epoch milliseconds (seconds when small). */
  public static Optional<Instant> instant(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Optional.empty();
    }
    if (node.isNumber()) {
      long v = node.asLong();
      return v <= 0
          ? Optional.empty()
          : Optional.of(v < 100_000_000_000L ? Instant.ofEpochSecond(v) : Instant.ofEpochMilli(v));
    }
    if (!node.isTextual()) {
      return Optional.empty();
    }
    String text = node.asText().strip();
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(OffsetDateTime.parse(text).toInstant());
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  /** The last-modified time of a file, if it can be read. */
  public static Optional<Instant> modified(Path file) {
    try {
      return Optional.of(Files.getLastModifiedTime(file).toInstant());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The entries of a folder, sorted by name; empty when it is missing or unreadable. */
  public static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = new ArrayList<>(s.toList());
      all.sort(Comparator.comparing(p -> p.getFileName().toString()));
      return all;
    } catch (IOException | UncheckedIOException | SecurityException e) {
      return List.of();
    }
  }

  /** Text of a JSON field, or empty. */
  public static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
  }
}
