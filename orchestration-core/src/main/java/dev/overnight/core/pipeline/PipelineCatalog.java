package dev.overnight.core.pipeline;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a pipeline's manifest comes from, by reference: {@code builtin:NAME} for the manifests
 * Overnight ships ({@link #BUILT_IN}), anything else a file path (relative to the workspace). A
 * task holds the reference and the hash accepted for it; the manifest is read again when the task
 * runs, and refused if it changed.
 *
 * <p>Immutable and thread-safe; reading blocks on the file system.
 *
 * @since 0.1.0
 */
public final class PipelineCatalog {
  /** The prefix of a built-in manifest's reference. */
  public static final String PREFIX = "builtin:";

  /** The names of the manifests Overnight ships. */
  public static final List<String> BUILT_IN =
      List.of("upgrade-dependency", "add-tests", "fix-lint", "write-review-fix");

  private static final String FOLDER = "/dev/overnight/core/pipeline/builtin/";

  private final PipelineLoader loader;
  private final Path workspace;

  /** A catalog reading with {@code loader}, files relative to {@code workspace}. */
  public PipelineCatalog(PipelineLoader loader, Path workspace) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.workspace = Objects.requireNonNull(workspace, "workspace");
  }

  /** The loader manifests are read with. */
  public PipelineLoader loader() {
    return loader;
  }

  /** The reference of a built-in manifest, when {@code name} is one; else {@code name} itself. */
  public static String reference(String name) {
    return BUILT_IN.contains(name) ? PREFIX + name : name;
  }

  /**
   * Reads the manifest a reference names.
   *
   * @throws ConfigException if it cannot be found or read, or for every problem in it
   */
  public PipelineManifest load(String reference) {
    Optional<String> builtIn = builtInText(reference);
    if (reference.startsWith(PREFIX)) {
      return loader.read(
          reference,
          builtIn.orElseThrow(
              () ->
                  new ConfigException(
                      reference,
                      List.of(
                          new ConfigProblem(
                              "",
                              "no built-in pipeline of that name; built in: "
                                  + String.join(", ", BUILT_IN))))));
    }
    return loader.load(workspace.resolve(reference));
  }

  /** The text of a built-in manifest. */
  public static Optional<String> builtInText(String reference) {
    if (!reference.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String name = reference.substring(PREFIX.length());
    if (!BUILT_IN.contains(name)) {
      return Optional.empty();
    }
    try (InputStream in = PipelineCatalog.class.getResourceAsStream(FOLDER + name + ".yaml")) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The text of the manifest a reference names, as shown before its first run. */
  public String text(String reference) {
    Optional<String> builtIn = builtInText(reference);
    if (builtIn.isPresent()) {
      return builtIn.get();
    }
    try {
      return java.nio.file.Files.readString(workspace.resolve(reference));
    } catch (IOException e) {
      throw new ConfigException(
          reference, List.of(new ConfigProblem("", "cannot be read: " + e.getMessage())));
    }
  }
}
