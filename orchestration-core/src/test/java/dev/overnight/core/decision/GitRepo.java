package dev.overnight.core.decision;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real git repository in a temporary folder, with commits at fixed dates. */
final class GitRepo {
  final Path dir;

  private GitRepo(Path dir) {
    this.dir = dir;
  }

  static GitRepo init(Path dir) {
    GitRepo r = new GitRepo(dir);
    r.git(null, "init", "-q", "-b", "main");
    r.git(null, "config", "user.email", "dev@example.com");
    r.git(null, "config", "user.name", "Dev");
    r.git(null, "config", "commit.gpgsign", "false");
    return r;
  }

  /** Writes files (path → content) and commits them at {@code date} (ISO-8601). */
  GitRepo commit(String date, String message, Map<String, String> files) {
    files.forEach(this::write);
    git(date, "add", "-A");
    git(date, "commit", "-q", "-m", message);
    return this;
  }

  GitRepo write(String path, String content) {
    try {
      Path p = dir.resolve(path);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String git(String date, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("GIT_DIR");
    pb.environment().remove("GIT_WORK_TREE");
    if (date != null) {
      pb.environment().put("GIT_AUTHOR_DATE", date);
      pb.environment().put("GIT_COMMITTER_DATE", date);
    }
    try {
      Process p = pb.start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        out = b.toByteArray();
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("git " + String.join(" ", args) + " hung");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
