package dev.overnight.cli;

import dev.overnight.core.worktree.Git;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * A small Java project with a believable history for the demo: {@code Parser.java} changed often
 * and has no tests, {@code Lexer.java} has tests, {@code Formatter.java} changed a little — so the
 * decision engine has something to choose between. Plus a bare repository as its {@code origin}.
 */
final class DemoWorkspace {
  private DemoWorkspace() {}

  /** Creates the repository in {@code dir/repo} and its remote in {@code dir/origin.git}. */
  static Path create(Path dir, Instant now) throws IOException {
    Path remote = dir.resolve("origin.git");
    Path repo = Files.createDirectories(dir.resolve("repo"));
    new Git(dir).check("init", "-q", "--bare", "-b", "main", remote.toString());
    Git git = new Git(repo);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.email", "demo@overnight.dev");
    git.check("config", "user.name", "Overnight Demo");
    git.check("config", "commit.gpgsign", "false");
    write(repo, "README.md", "# calc\n\nA tiny expression calculator.\n");
    write(repo, ".gitignore", "target/\n");
    List<Map<String, String>> history =
        List.of(
            Map.of(
                "src/main/java/calc/Lexer.java",
                lexer(1),
                "src/main/java/calc/Parser.java",
                parser(1)),
            Map.of("src/test/java/calc/LexerTest.java", "package calc;\n\nclass LexerTest {}\n"),
            Map.of("src/main/java/calc/Parser.java", parser(2)),
            Map.of(
                "src/main/java/calc/Parser.java",
                parser(3),
                "src/main/java/calc/Formatter.java",
                formatter(1)),
            Map.of(
                "src/main/java/calc/Parser.java",
                parser(4),
                "src/main/java/calc/Lexer.java",
                lexer(2)),
            Map.of(
                "src/main/java/calc/Parser.java",
                parser(5),
                "src/main/java/calc/Formatter.java",
                formatter(2)),
            Map.of("src/main/java/calc/Parser.java", parser(6)));
    Instant at = now.minus(history.size() + 1, ChronoUnit.DAYS);
    int n = 0;
    for (Map<String, String> change : history) {
      for (Map.Entry<String, String> f : change.entrySet()) {
        write(repo, f.getKey(), f.getValue());
      }
      git.check("add", "-A");
      String date = DateTimeFormatter.ISO_INSTANT.format(at.plus(++n, ChronoUnit.DAYS));
      commitAt(
          repo,
          "Change "
              + n
              + ": "
              + String.join(
                  ", ", change.keySet().stream().map(DemoWorkspace::name).sorted().toList()),
          date);
    }
    git.check("remote", "add", "origin", remote.toString());
    git.check("push", "-q", "origin", "main");
    // Uncommitted work of the user: the demo shows it is never touched.
    write(repo, "NOTES.md", "my own notes, not committed yet\n");
    return repo;
  }

  private static void commitAt(Path repo, String message, String date) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder("git", "commit", "-q", "-m", message).directory(repo.toFile());
    pb.environment().put("GIT_AUTHOR_DATE", date);
    pb.environment().put("GIT_COMMITTER_DATE", date);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String output =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException("git commit failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static void write(Path repo, String path, String content) throws IOException {
    Path f = repo.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  private static String lexer(int version) {
    return "package calc;\n\n/** Splits an expression into tokens (v"
        + version
        + "). */\nfinal class Lexer {\n"
        + "  java.util.List<String> tokens(String s) {\n    return java.util.List.of(s.split(\"\\\\s+\"));\n  }\n}\n";
  }

  private static String parser(int version) {
    StringBuilder b =
        new StringBuilder(
            "package calc;\n\n/** Parses tokens into a value (v"
                + version
                + "). */\nfinal class Parser {\n");
    for (int i = 1; i <= version; i++) {
      b.append("  int rule")
          .append(i)
          .append("(int x) {\n    return x + ")
          .append(i)
          .append(";\n  }\n");
    }
    return b.append("}\n").toString();
  }

  private static String formatter(int version) {
    return "package calc;\n\n/** Formats values (v"
        + version
        + "). */\nfinal class Formatter {\n"
        + "  String format(int v) {\n    return Integer.toString(v);\n  }\n}\n";
  }
}
