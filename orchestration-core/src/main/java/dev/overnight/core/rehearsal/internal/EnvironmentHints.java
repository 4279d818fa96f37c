package dev.overnight.core.rehearsal.internal;

import dev.overnight.core.rehearsal.ServiceEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the service's context differs from this shell's, worded as fixes: a folder on this shell's
 * {@code PATH} the service lacks, a key this shell has and the service does not. Immutable; reads
 * the file system to find programs.
 */
public final class EnvironmentHints {
  private static final Pattern VARIABLE = Pattern.compile("\\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\\b");

  private final ServiceEnvironment service;
  private final Map<String, String> shell;

  /**
   * @param service the service's context
   * @param shell this process's environment
   */
  public EnvironmentHints(ServiceEnvironment service, Map<String, String> shell) {
    this.service = Objects.requireNonNull(service, "service");
    this.shell = Map.copyOf(shell);
  }

  /** The folder this shell finds {@code program} in, when the service does not find it at all. */
  public Optional<Path> folderOnlyThisShellHas(String program) {
    if (service.which(program).isPresent()) {
      return Optional.empty();
    }
    return ServiceEnvironment.which(
            program, ServiceEnvironment.pathEntries(shell.getOrDefault("PATH", "")))
        .map(Path::getParent);
  }

  /** The folders on this shell's {@code PATH} that the service's lacks, in order. */
  public List<String> foldersOnlyThisShellHas() {
    List<String> missing =
        new ArrayList<>(ServiceEnvironment.pathEntries(shell.getOrDefault("PATH", "")));
    missing.removeAll(service.pathEntries());
    return missing;
  }

  /**
   * The variables named in {@code text} (say, an agent's "set ANTHROPIC_API_KEY") that this shell
   * has and the service does not.
   */
  public List<String> variablesOnlyThisShellHas(String text) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = VARIABLE.matcher(text);
    while (m.find()) {
      String name = m.group();
      if (isSet(shell.get(name)) && !isSet(service.variables().get(name))) {
        found.add(name);
      }
    }
    return List.copyOf(found);
  }

  /** The fix for {@code folder} missing from the service's {@code PATH}. */
  public String addToPath(Path folder) {
    return "add "
        + folder
        + " to the service's PATH"
        + service.definitionFile().map(f -> " (the PATH line in " + f + ")").orElse("")
        + ", or run `overnight install-service` again from a shell that finds it";
  }

  /** The fix for keys the service lacks. */
  public String putKeys(List<String> names) {
    String lines = String.join(", ", names.stream().map(n -> n + "=…").toList());
    return service
        .environmentFile()
        .map(f -> "put " + lines + " in " + f + " (the service reads it at start), then restart it")
        .orElse("set " + lines + " in the environment the service starts with");
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
