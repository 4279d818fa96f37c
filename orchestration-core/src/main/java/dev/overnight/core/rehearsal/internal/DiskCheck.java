package dev.overnight.core.rehearsal.internal;

import dev.overnight.core.rehearsal.RehearsalFinding;
import dev.overnight.core.secrets.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Whether task worktrees can be made tonight: their folder can be created and written to (tried for
 * real, with a file created and deleted: permissions alone do not say, a read-only disk stops even
 * root), and the disk holding it has room. Blocks on file I/O only.
 */
public final class DiskCheck {
  /** Less free space than this is a problem: a worktree and its setup need room. */
  public static final long MIN_FREE_BYTES = 1024L * 1024 * 1024;

  private static final long MIB = 1024L * 1024;

  private final Path worktrees;
  private final long maxDiskMb;
  private final ToLongFunction<Path> freeBytes;

  /**
   * @param worktrees the folder task worktrees go in
   * @param maxDiskMb {@code worktree.max_disk_mb}
   * @param freeBytes the bytes free on the disk holding a folder, or -1 when unknown
   */
  public DiskCheck(Path worktrees, long maxDiskMb, ToLongFunction<Path> freeBytes) {
    this.worktrees = Objects.requireNonNull(worktrees, "worktrees");
    this.maxDiskMb = maxDiskMb;
    this.freeBytes = Objects.requireNonNull(freeBytes, "freeBytes");
  }

  /** The usable space of the disk holding {@code folder}, or -1. */
  public static long usableSpace(Path folder) {
    try {
      return Files.getFileStore(folder).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Checks and adds what it found to {@code out}.
   *
   * @return whether worktrees can be made
   */
  public boolean run(List<RehearsalFinding> out) {
    try {
      PrivateFiles.createDirectories(worktrees);
      Path probe = Files.createTempFile(worktrees, ".rehearsal", ".tmp");
      Files.delete(probe);
    } catch (IOException | RuntimeException e) {
      out.add(
          RehearsalFinding.problem(
              "disk",
              "worktrees cannot be made in " + worktrees + ": " + e,
              "make "
                  + worktrees
                  + " writable by the service's user (and its disk writable), or set state_dir to"
                  + " a folder on a disk it can write"));
      return false;
    }
    long free = freeBytes.applyAsLong(worktrees);
    if (free >= 0 && free < MIN_FREE_BYTES) {
      out.add(
          RehearsalFinding.problem(
              "disk",
              "only " + free / MIB + " MiB free on the disk holding " + worktrees,
              "free space there, or set state_dir to a folder on a disk with at least "
                  + MIN_FREE_BYTES / MIB
                  + " MiB free"));
      return false;
    }
    if (free >= 0 && free < maxDiskMb * MIB) {
      out.add(
          RehearsalFinding.warning(
              "disk",
              free / MIB
                  + " MiB free on the disk holding "
                  + worktrees
                  + ", less than worktree.max_disk_mb ("
                  + maxDiskMb
                  + " MB)",
              "free space there, or lower worktree.max_disk_mb"));
      return true;
    }
    out.add(
        RehearsalFinding.ok(
            "disk",
            worktrees + " is writable" + (free < 0 ? "" : ", " + free / MIB + " MiB free")));
    return true;
  }
}
