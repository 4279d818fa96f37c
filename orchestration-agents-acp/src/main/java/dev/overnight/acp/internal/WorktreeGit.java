package dev.overnight.acp.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What git needs outside a linked worktree to commit on its branch, read from the files git keeps
 * ({@code .git} names the worktree's own git folder, whose {@code commondir} names the
 * repository's, whose {@code HEAD} names the branch): the repository's git folder to read, and
 * writable only where a commit on this branch writes (the worktree's own git folder, the object
 * store, the branch's folder of refs and of reflogs). The rest of the repository (its config, hooks
 * and other branches) stays read-only, and the links between worktree and repository cannot be
 * redirected. Reading these files starts no process.
 *
 * @param readable the repository's git folder, and the link files that must not change
 * @param writable where a commit on the worktree's branch writes
 */
record WorktreeGit(List<Path> readable, List<Path> writable) {

  static final WorktreeGit NONE = new WorktreeGit(List.of(), List.of());

  WorktreeGit {
    readable = List.copyOf(readable);
    writable = List.copyOf(writable);
  }

  /**
   * The git paths of {@code worktree}; {@link #NONE} for a folder that is not a linked worktree (a
   * repository's own {@code .git} folder inside it is writable with it anyway).
   */
  static WorktreeGit of(Path worktree) {
    Path dotGit = worktree.resolve(".git");
    if (!Files.isRegularFile(dotGit)) {
      return NONE;
    }
    try {
      Optional<Path> own = pointer(dotGit, "gitdir:").map(p -> worktree.resolve(p).normalize());
      if (own.isEmpty() || !Files.isDirectory(own.get())) {
        return NONE;
      }
      Path gitDir = own.get();
      Path common =
          Files.isRegularFile(gitDir.resolve("commondir"))
              ? gitDir.resolve(firstLine(gitDir.resolve("commondir"))).normalize()
              : gitDir;
      List<Path> readable = new ArrayList<>(List.of(common, dotGit));
      for (String link : List.of("commondir", "gitdir")) {
        if (Files.exists(gitDir.resolve(link))) {
          readable.add(gitDir.resolve(link));
        }
      }
      List<Path> writable = new ArrayList<>(List.of(gitDir, common.resolve("objects")));
      Optional<String> branch =
          pointer(gitDir.resolve("HEAD"), "ref:").filter(r -> r.startsWith("refs/heads/"));
      if (branch.isPresent()) {
        // A ref is replaced through a lock file beside it: its folder must be writable.
        Path refFolder = common.resolve(branch.get()).getParent();
        Path logFolder = common.resolve("logs").resolve(branch.get()).getParent();
        Files.createDirectories(refFolder);
        Files.createDirectories(logFolder);
        writable.add(refFolder);
        writable.add(logFolder);
      }
      return new WorktreeGit(readable, writable);
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
  }

  private static Optional<String> pointer(Path file, String prefix) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String line = firstLine(file);
    return line.startsWith(prefix)
        ? Optional.of(line.substring(prefix.length()).trim())
        : Optional.empty();
  }

  private static String firstLine(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).trim();
  }
}
