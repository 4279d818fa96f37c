package dev.overnight.core.rehearsal.internal;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.rehearsal.RehearsalFinding;
import dev.overnight.core.worktree.LocalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A worktree made as a task's would be, where the night's service would make it, with the setup
 * command run in it, then removed. It is detached (no branch), so nothing is left in the
 * repository. Commands run as the service would run them; git within {@link #GIT_TIMEOUT}, the
 * setup command within {@link #SETUP_TIMEOUT}, as a task's.
 */
public final class ScratchWorktree {
  /** How long a git command may take. */
  public static final Duration GIT_TIMEOUT = Duration.ofMinutes(2);

  /** How long the setup command may take, as in a task's worktree. */
  public static final Duration SETUP_TIMEOUT = Duration.ofMinutes(15);

  private static final Map<String, String> QUIET =
      Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_ASK_YESNO", "false");

  private final OrchestrationConfig config;
  private final Path folder;
  private final CommandRunner commands;

  /**
   * @param config the workspace, base branch and setup command
   * @param folder where the scratch worktree goes (inside the worktrees folder)
   * @param commands runs git and the setup command as the service would
   */
  public ScratchWorktree(OrchestrationConfig config, Path folder, CommandRunner commands) {
    this.config = Objects.requireNonNull(config, "config");
    this.folder = Objects.requireNonNull(folder, "folder");
    this.commands = Objects.requireNonNull(commands, "commands");
  }

  /**
   * Makes the worktree and runs the setup command in it, adding what happened to {@code out}.
   *
   * @return the worktree, when made (remove it with {@link #remove})
   */
  public Optional<Path> create(List<RehearsalFinding> out) {
    Path workspace = config.workspaceRoot().path();
    String base = config.prAutomation().baseBranch().orElse("HEAD");
    CommandResult add = git(workspace, "worktree", "add", "--detach", folder.toString(), base);
    if (!add.succeeded()) {
      out.add(
          RehearsalFinding.problem(
              "worktree",
              "a task's worktree cannot be made from "
                  + base
                  + " of "
                  + workspace
                  + ": "
                  + add.describe()
                  + tail(add),
              "make sure "
                  + workspace
                  + " is a git repository with at least one commit"
                  + config.prAutomation().baseBranch().map(b -> " and a branch " + b).orElse("")
                  + ", and try: git -C "
                  + workspace
                  + " worktree add --detach /tmp/try "
                  + base));
      return Optional.empty();
    }
    if (!copyFiles(workspace, out)) {
      return Optional.of(folder);
    }
    Optional<String> setup = config.worktree().setupCommand();
    if (setup.isEmpty()) {
      out.add(RehearsalFinding.ok("worktree", "a task's worktree was made (no setup_command)"));
      return Optional.of(folder);
    }
    CommandResult r =
        commands.run(List.of("sh", "-c", setup.get()), folder, Map.of(), SETUP_TIMEOUT);
    if (r.succeeded()) {
      out.add(
          RehearsalFinding.ok(
              "worktree",
              "a task's worktree was made and worktree.setup_command ran in it: " + setup.get()));
    } else {
      out.add(
          RehearsalFinding.problem(
              "worktree",
              "worktree.setup_command failed in a fresh worktree: "
                  + setup.get()
                  + " -> "
                  + r.describe()
                  + tail(r),
              "make `"
                  + setup.get()
                  + "` work with the service's PATH and variables (every task runs it first), or"
                  + " change worktree.setup_command"));
    }
    return Optional.of(folder);
  }

  /**
   * Copies {@code worktree.copy_files} in, as a task's worktree gets them before its setup command;
   * false when a file could not be copied.
   */
  private boolean copyFiles(Path workspace, List<RehearsalFinding> out) {
    List<String> names = config.worktree().copyFiles();
    if (names.isEmpty()) {
      return true;
    }
    LocalFiles.Copied c;
    try {
      c = LocalFiles.copy(workspace, names, folder);
    } catch (UncheckedIOException e) {
      out.add(
          RehearsalFinding.problem(
              "worktree",
              "worktree.copy_files could not be copied into a fresh worktree: "
                  + e.getMessage()
                  + " ("
                  + e.getCause().getMessage()
                  + ")",
              "make the files in worktree.copy_files readable by the service's user"));
      return false;
    }
    if (!c.missing().isEmpty()) {
      out.add(
          RehearsalFinding.warning(
              "worktree",
              "worktree.copy_files names "
                  + String.join(", ", c.missing())
                  + ", not a file in "
                  + workspace
                  + ": tasks' worktrees will lack it",
              "create it in the workspace, or remove it from worktree.copy_files"));
    }
    if (!c.copied().isEmpty()) {
      out.add(
          RehearsalFinding.ok(
              "worktree", "worktree.copy_files copied in: " + String.join(", ", c.copied())));
    }
    return true;
  }

  /** Removes the worktree; a worktree git will not remove is deleted and pruned. */
  public void remove(List<RehearsalFinding> out) {
    Path workspace = config.workspaceRoot().path();
    CommandResult r = git(workspace, "worktree", "remove", "--force", folder.toString());
    if (r.succeeded()) {
      return;
    }
    deleteTree(folder);
    git(workspace, "worktree", "prune");
    if (Files.exists(folder)) {
      out.add(
          RehearsalFinding.warning(
              "worktree",
              "the rehearsal's worktree could not be removed: " + folder,
              "delete it, then run: git -C " + workspace + " worktree prune"));
    }
  }

  private CommandResult git(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    return commands.run(command, dir, QUIET, GIT_TIMEOUT);
  }

  private static String tail(CommandResult r) {
    String t = r.tail(3).strip();
    return t.isEmpty() ? "" : " (" + t.replace('\n', ' ') + ")";
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      // What is left is reported by the caller, which sees the folder still there.
    }
  }
}
