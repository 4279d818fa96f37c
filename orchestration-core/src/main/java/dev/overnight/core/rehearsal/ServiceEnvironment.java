package dev.overnight.core.rehearsal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The context the night's service runs in: its environment variables (the {@code PATH} agents are
 * found on, the keys they log in with) and its working folder, read from the installed service
 * definition when there is one, else this process's own.
 *
 * <p>Immutable and thread-safe. {@link #which} reads the file system.
 *
 * @param source what the context was read from, in words, e.g. {@code systemd unit
 *     ~/.config/systemd/user/overnight-x.service}
 * @param variables every variable the service starts with
 * @param workingDirectory the folder it starts in
 * @param definitionFile the installed unit or plist, when one was read
 * @param environmentFile the file of {@code NAME=value} lines the service reads at start, where its
 *     keys go, when it has one
 * @since 0.1.0
 */
public record ServiceEnvironment(
    String source,
    Map<String, String> variables,
    Path workingDirectory,
    Optional<Path> definitionFile,
    Optional<Path> environmentFile) {

  /** Validates the components and copies the variables, keeping their order. */
  public ServiceEnvironment {
    Objects.requireNonNull(source, "source");
    variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(definitionFile, "definitionFile");
    Objects.requireNonNull(environmentFile, "environmentFile");
  }

  /** This process's own context, for when no service is installed. */
  public static ServiceEnvironment ofThisProcess(Map<String, String> variables, Path directory) {
    return new ServiceEnvironment(
        "this shell (no installed service found)",
        variables,
        directory,
        Optional.empty(),
        Optional.empty());
  }

  /** Whether this is an installed service's context rather than this process's. */
  public boolean installed() {
    return definitionFile.isPresent();
  }

  /** The {@code PATH} entries, in order; empty ones left out. */
  public List<String> pathEntries() {
    return pathEntries(variables.getOrDefault("PATH", ""));
  }

  /** The entries of a {@code PATH} value, in order; empty ones left out. */
  public static List<String> pathEntries(String path) {
    List<String> entries = new ArrayList<>();
    for (String e : path.split(File.pathSeparator, -1)) {
      if (!e.isEmpty()) {
        entries.add(e);
      }
    }
    return entries;
  }

  /**
   * Where the service would find {@code program}: a path as given, or a name looked up on its
   * {@code PATH}, as a shell would.
   */
  public Optional<Path> which(String program) {
    return which(program, pathEntries());
  }

  /** Where {@code program} is found on {@code entries}, as a shell would find it. */
  public static Optional<Path> which(String program, List<String> entries) {
    try {
      if (program.contains("/")) {
        Path p = Path.of(program);
        return executable(p) ? Optional.of(p) : Optional.empty();
      }
      for (String entry : entries) {
        Path p = Path.of(entry).resolve(program);
        if (executable(p)) {
          return Optional.of(p);
        }
      }
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static boolean executable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }
}
