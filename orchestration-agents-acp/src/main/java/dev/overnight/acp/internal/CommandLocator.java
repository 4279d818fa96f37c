package dev.overnight.acp.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds an executable the way a shell would: a path as given, or a name looked up on PATH. */
final class CommandLocator {
  private CommandLocator() {}

  static Optional<Path> find(String command, Map<String, String> env) {
    if (command == null || command.isBlank()) {
      return Optional.empty();
    }
    if (command.contains(File.separator)) {
      Path p = Path.of(command).toAbsolutePath();
      return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      try {
        Path p = Path.of(dir, command);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      } catch (RuntimeException e) {
        // An unusable PATH entry: skip it.
      }
    }
    return Optional.empty();
  }
}
