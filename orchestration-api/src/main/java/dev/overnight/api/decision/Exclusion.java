package dev.overnight.api.decision;

import java.util.Objects;

/**
 * A changed file no candidate may be about, and why: vendored or generated code, a test, docs, a
 * build script, a module of constants or types only, an interface without logic, a tiny file.
 * {@code overnight plan --explain} lists them.
 *
 * @param path the file, relative to the workspace
 * @param reason why it is left alone, e.g. {@code "generated: \"Code generated ... DO NOT EDIT\""}
 * @since 0.1.0
 */
public record Exclusion(String path, String reason) {
  /** Validates the components. */
  public Exclusion {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }
}
