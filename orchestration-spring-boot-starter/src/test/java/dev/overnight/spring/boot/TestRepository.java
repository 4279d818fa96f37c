package dev.overnight.spring.boot;

import dev.overnight.core.worktree.Git;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real git repository with one commit, for a runtime to work on. */
final class TestRepository {
  private TestRepository() {}

  /** Creates {@code dir/repo} as a repository with a README committed. */
  static Path create(Path dir) {
    try {
      Path repo = Files.createDirectories(dir.resolve("repo"));
      Git git = new Git(repo);
      git.check("init", "-q", "-b", "main");
      git.check("config", "user.name", "Dev");
      git.check("config", "user.email", "dev@example.com");
      git.check("config", "commit.gpgsign", "false");
      Files.writeString(repo.resolve("README.md"), "# Demo\n");
      git.check("add", "-A");
      git.check("commit", "-q", "-m", "Start");
      return repo;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
