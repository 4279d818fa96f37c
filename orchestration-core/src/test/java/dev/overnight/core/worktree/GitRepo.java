package dev.overnight.core.worktree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.process.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real git repository in a temporary folder, for tests. */
final class GitRepo {
  final Path dir;
  final Git git;

  private GitRepo(Path dir) {
    this.dir = dir;
    this.git = new Git(dir);
  }

  static GitRepo init(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GitRepo repo = new GitRepo(dir);
    repo.git.check("init", "-q", "-b", "main");
    repo.git.check("config", "user.email", "dev@example.com");
    repo.git.check("config", "user.name", "Dev");
    repo.git.check("config", "commit.gpgsign", "false");
    repo.write("README.md", "hello\n");
    repo.commit("initial");
    return repo;
  }

  GitRepo write(String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  GitRepo commit(String message) {
    git.check("add", "-A");
    git.check("commit", "-q", "-m", message);
    return this;
  }

  CommandResult run(String... args) {
    CommandResult r = git.run(args);
    assertThat(r.succeeded()).as(r.describe()).isTrue();
    return r;
  }
}
