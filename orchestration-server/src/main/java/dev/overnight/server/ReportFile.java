package dev.overnight.server;

import java.time.Instant;
import java.util.Objects;

/**
 * A morning report file.
 *
 * @param name the file name, e.g. {@code night-2026-11-25.md} or {@code latest.html}
 * @param format {@code markdown} or {@code html}
 * @param modified when it was last written
 * @param size its size in bytes
 * @since 0.1.0
 */
public record ReportFile(String name, String format, Instant modified, long size) {

  /** Validates the components. */
  public ReportFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(modified, "modified");
  }
}
