package dev.overnight.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Generates a large repository with {@code git fast-import}: {@code commits} commits spread evenly
 * over the {@code days} days before {@code end}, each changing one to three of 600 Java, Python and
 * Go files (and a test now and then), with realistic file sizes. Deterministic (fixed seed).
 */
final class ScaleRepository {
  private static final int FILES = 600;

  private ScaleRepository() {}

  static void generate(Path dir, int commits, Instant end, int days)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    DecisionsBenchmark.sh(dir, "git", "init", "-q", "-b", "main");
    Process p =
        new ProcessBuilder("git", "fast-import", "--quiet")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    SplittableRandom random = new SplittableRandom(42);
    long start = end.getEpochSecond() - days * 86_400L;
    long step = Math.max(1, days * 86_400L / commits);
    int[] version = new int[FILES];
    try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 1 << 20)) {
      for (int c = 1; c <= commits; c++) {
        long when = start + c * step;
        StringBuilder b = new StringBuilder();
        b.append("commit refs/heads/main\n");
        b.append("mark :").append(c).append('\n');
        b.append("committer Dev <dev@example.com> ").append(when).append(" +0000\n");
        String msg = (c % 23 == 0 ? "Fix crash in module " : "Change module ") + c;
        data(b, msg);
        if (c > 1) {
          b.append("from :").append(c - 1).append('\n');
        }
        int n = c == 1 ? FILES : 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
          // A skewed choice: a few files change much more often than the rest.
          int f = c == 1 ? i : (int) (FILES * Math.pow(random.nextDouble(), 3));
          version[f]++;
          b.append("M 100644 inline ").append(path(f)).append('\n');
          data(b, content(f, version[f]));
        }
        if (c % 7 == 0) {
          int f = random.nextInt(FILES);
          b.append("M 100644 inline ").append(testPath(f)).append('\n');
          data(b, "// test of " + path(f) + " v" + c + "\nclass Module" + f + "Test {}\n");
        }
        b.append('\n');
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    if (p.waitFor() != 0) {
      throw new IOException("git fast-import failed");
    }
    DecisionsBenchmark.sh(dir, "git", "checkout", "-q", "-f", "main");
  }

  private static String path(int f) {
    return switch (f % 3) {
      case 0 -> "src/main/java/app/m" + (f / 30) + "/Module" + f + ".java";
      case 1 -> "pkg/m" + (f / 30) + "/module" + f + ".py";
      default -> "internal/m" + (f / 30) + "/module" + f + ".go";
    };
  }

  private static String testPath(int f) {
    return "src/test/java/app/Module" + f + "Test.java";
  }

  private static String content(int f, int version) {
    StringBuilder b = new StringBuilder();
    int functions = 5 + f % 40;
    switch (f % 3) {
      case 0 -> {
        b.append("package app;\n\npublic class Module").append(f).append(" {\n");
        for (int i = 0; i < functions; i++) {
          b.append("  public int f").append(i).append("(int x) {\n");
          for (int l = 0; l < 8; l++) {
            b.append("    x = x * ").append(version + l).append(" + ").append(i).append(";\n");
          }
          b.append("    return x;\n  }\n");
        }
        b.append("}\n");
      }
      case 1 -> {
        for (int i = 0; i < functions; i++) {
          b.append("def f").append(i).append("(x):\n");
          for (int l = 0; l < 8; l++) {
            b.append("    x = x * ").append(version + l).append(" + ").append(i).append('\n');
          }
          b.append("    return x\n\n");
        }
      }
      default -> {
        b.append("package m\n\n");
        for (int i = 0; i < functions; i++) {
          b.append("func F").append(i).append("(x int) int {\n");
          for (int l = 0; l < 8; l++) {
            b.append("\tx = x*").append(version + l).append(" + ").append(i).append('\n');
          }
          b.append("\treturn x\n}\n");
        }
      }
    }
    return b.toString();
  }

  private static void data(StringBuilder b, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    b.append("data ").append(bytes.length).append('\n').append(text).append('\n');
  }
}
