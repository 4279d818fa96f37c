package dev.overnight.core.coordinator;

import dev.overnight.core.worktree.Git;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A user's checkout for a test night: a real git repository on branch {@code main}. */
final class Repository {
  private final Path dir;
  private final Git git;

  private Repository(Path dir) {
    this.dir = dir;
    this.git = new Git(dir);
  }

  /** A new repository with a committer identity of its own and one commit. */
  static Repository init(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Repository repo = new Repository(dir);
    repo.git("init", "-q", "-b", "main");
    repo.git("config", "user.name", "Dev");
    repo.git("config", "user.email", "dev@example.com");
    repo.git("config", "commit.gpgsign", "false");
    return repo.commit("Start", Map.of("README.md", "# Demo\n", "src/App.java", "class App {}\n"));
  }

  Path dir() {
    return dir;
  }

  /** Writes {@code files} (path → content) and commits them. */
  Repository commit(String message, Map<String, String> files) {
    try {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path file = dir.resolve(f.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, f.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git("add", "-A");
    git("commit", "-q", "-m", message);
    return this;
  }

  /** Runs git in the checkout; its output, trimmed. Fails the test when git fails. */
  String git(String... args) {
    return git.check(args);
  }

  /** Subjects of the commits on {@code branch} that {@code main} does not have, newest first. */
  List<String> subjects(String branch) {
    String out = git("log", "--format=%s", "main.." + branch);
    return out.isEmpty() ? List.of() : out.lines().toList();
  }

  /** A file as committed on {@code branch}. */
  String show(String branch, String path) {
    return git("show", branch + ":" + path);
  }
}
