package dev.overnight.core.worktree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies {@code worktree.copy_files} (files git does not track, such as {@code .env}) from the
 * workspace into a new worktree, as every task's worktree and the rehearsal's scratch worktree get
 * them before the setup command runs. A name outside the workspace or not a file there is skipped
 * and reported as missing.
 *
 * <p>Stateless and thread-safe; blocks on file copies.
 *
 * @since 0.1.0
 */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * What a copy did.
   *
   * @param copied the files copied, relative to the worktree
   * @param missing the names that are not files inside the workspace
   */
  public record Copied(List<String> copied, List<String> missing) {
    /** Copies the lists. */
    public Copied {
      copied = List.copyOf(copied);
      missing = List.copyOf(missing);
    }
  }

  /**
   * Copies each of {@code names} from {@code workspace} to the same place under {@code worktree}.
   *
   * @throws UncheckedIOException if a file that exists cannot be copied
   */
  public static Copied copy(Path workspace, List<String> names, Path worktree) {
    List<String> copied = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      Path from = workspace.resolve(name).normalize();
      if (!from.startsWith(workspace) || !Files.isRegularFile(from)) {
        missing.add(name);
        continue;
      }
      try {
        Path to = worktree.resolve(name).normalize();
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        copied.add(worktree.relativize(to).toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy " + name + " into the worktree", e);
      }
    }
    return new Copied(copied, missing);
  }
}
