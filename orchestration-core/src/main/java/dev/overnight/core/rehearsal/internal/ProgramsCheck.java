package dev.overnight.core.rehearsal.internal;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.rehearsal.RehearsalFinding;
import dev.overnight.core.rehearsal.ServiceEnvironment;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the service finds the programs a night runs on its {@code PATH}: git always, gh when pull
 * requests are on, {@code sh} and the setup command's program when there is one; and whether each
 * {@code PATH} entry exists. Reads the file system only.
 */
public final class ProgramsCheck {
  /** The shell's own words, which are no program on PATH. */
  private static final Set<String> SHELL_WORDS =
      Set.of(
          "cd", "export", "set", "unset", "source", ".", "exec", "eval", "if", "for", "while",
          "case", "until", "umask", "ulimit", "alias", "test", "true", "false", "echo", "printf");

  private final OrchestrationConfig config;
  private final ServiceEnvironment service;
  private final EnvironmentHints hints;

  /**
   * @param config what the night runs
   * @param service the service's context
   * @param hints what this shell has that the service lacks
   */
  public ProgramsCheck(
      OrchestrationConfig config, ServiceEnvironment service, EnvironmentHints hints) {
    this.config = Objects.requireNonNull(config, "config");
    this.service = Objects.requireNonNull(service, "service");
    this.hints = Objects.requireNonNull(hints, "hints");
  }

  /** Checks and adds what it found to {@code out}. */
  public void run(List<RehearsalFinding> out) {
    for (String entry : service.pathEntries()) {
      if (!isFolder(entry)) {
        out.add(
            RehearsalFinding.warning(
                "PATH",
                "the service's PATH names " + entry + ", which is not a folder",
                "remove it from the service's PATH, or create it"));
      }
    }
    for (Map.Entry<String, String> need : needed().entrySet()) {
      String program = need.getKey();
      Optional<Path> found = service.which(program);
      if (found.isPresent()) {
        out.add(RehearsalFinding.ok("PATH", program + ": " + found.get()));
        continue;
      }
      out.add(
          RehearsalFinding.problem(
              "PATH",
              "`" + program + "` is not on the service's PATH: " + need.getValue(),
              hints
                  .folderOnlyThisShellHas(program)
                  .map(hints::addToPath)
                  .orElse(
                      "install "
                          + program
                          + ", or add the folder that holds it to the service's PATH")));
    }
  }

  /** Each program a night runs, with why. */
  private Map<String, String> needed() {
    Map<String, String> needed = new LinkedHashMap<>();
    needed.put("git", "every task runs in a git worktree");
    if (config.prAutomation().enabled()) {
      needed.put("gh", "pull requests are opened with gh");
    }
    config
        .worktree()
        .setupCommand()
        .ifPresent(
            setup -> {
              needed.put("sh", "worktree.setup_command runs in sh");
              String first = setup.strip().split("\\s+", 2)[0];
              if (first.matches("[A-Za-z0-9._+/-]+") && !SHELL_WORDS.contains(first)) {
                needed.putIfAbsent(first, "worktree.setup_command runs it");
              }
            });
    return needed;
  }

  private static boolean isFolder(String entry) {
    try {
      return Files.isDirectory(Path.of(entry));
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
