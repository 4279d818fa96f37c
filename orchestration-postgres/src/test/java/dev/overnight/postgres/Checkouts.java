package dev.overnight.postgres;

import dev.overnight.core.worktree.Git;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A machine's checkout for the fleet tests: a repository with one commit on main. */
final class Checkouts {
  private Checkouts() {}

  /**
   * The checkout at {@code workspace}, made with a README committed on main unless it is there
   * already (a machine set up again keeps its checkout).
   */
  static Path at(Path workspace) throws IOException {
    if (Files.isDirectory(workspace)) {
      return workspace;
    }
    Files.createDirectories(workspace);
    Git git = new Git(workspace);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", "Dev");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "commit.gpgsign", "false");
    Files.writeString(workspace.resolve("README.md"), "# Shop\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "Start");
    return workspace;
  }
}
