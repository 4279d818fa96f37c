package dev.overnight.core.conflict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The follow-up prompts of a sync: resolving a merge's conflicts (the files and their marked hunks,
 * bounded), and fixing a gate that fails once the base is in. Also tells whether a file still holds
 * conflict markers.
 */
final class ConflictPrompt {
  /** Lines of marked hunks quoted per file, and in all: enough to orient, never a whole file. */
  private static final int LINES_PER_FILE = 60;

  private static final int LINES_IN_ALL = 240;

  private ConflictPrompt() {}

  static String resolve(
      String branch, String baseName, String baseTip, Path worktree, List<String> files) {
    StringBuilder p = new StringBuilder();
    p.append("The branch `")
        .append(branch)
        .append("` no longer merges cleanly with its base `")
        .append(baseName)
        .append("` (now at ")
        .append(baseTip, 0, Math.min(12, baseTip.length()))
        .append("). Overnight started merging the base into it in this worktree, and git left ")
        .append(files.size())
        .append(files.size() == 1 ? " file" : " files")
        .append(" in conflict:\n\n");
    files.forEach(f -> p.append("- `").append(f).append("`\n"));
    p.append("\nThe conflicts, as marked in the files:\n");
    int budget = LINES_IN_ALL;
    for (String f : files) {
      List<String> hunks = markedHunks(worktree.resolve(f), Math.min(LINES_PER_FILE, budget));
      if (hunks.isEmpty()) {
        continue;
      }
      budget -= hunks.size();
      p.append("\n`").append(f).append("`:\n\n```text\n");
      hunks.forEach(l -> p.append(l).append('\n'));
      p.append("```\n");
      if (budget <= 0) {
        p.append("\n(More conflicts follow in the files.)\n");
        break;
      }
    }
    p.append(
        "\nResolve every conflict: keep what this branch's task needs and what the base changed,"
            + " remove every conflict marker, run the project's checks, and stage the files with"
            + " `git add`. Do not abort the merge or rewrite history: Overnight commits the merge.");
    return p.toString();
  }

  static String gateFails(String baseName, String failure) {
    return "The base branch `"
        + baseName
        + "` was merged into this branch (or the branch rebased onto it), and now the verification"
        + " fails:\n\n```\n"
        + failure
        + "\n```\n\nFix the problem in this worktree, run the command again to check, and commit.";
  }

  /** The conflict hunks of a file, from each {@code <<<<<<<} to its {@code >>>>>>>}, bounded. */
  static List<String> markedHunks(Path file, int max) {
    List<String> out = new ArrayList<>();
    boolean inside = false;
    for (String line : lines(file)) {
      if (line.startsWith("<<<<<<<")) {
        inside = true;
      }
      if (inside) {
        if (out.size() >= max) {
          out.add("…");
          break;
        }
        out.add(line);
      }
      if (line.startsWith(">>>>>>>")) {
        inside = false;
      }
    }
    return out;
  }

  /** Whether a file still holds a conflict marker line. */
  static boolean hasMarkers(Path file) {
    return lines(file).stream().anyMatch(l -> l.startsWith("<<<<<<< ") || l.startsWith(">>>>>>> "));
  }

  private static List<String> lines(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
