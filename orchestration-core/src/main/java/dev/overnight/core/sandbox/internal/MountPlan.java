package dev.overnight.core.sandbox.internal;

import dev.overnight.core.sandbox.SandboxProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The file system a {@link SandboxProfile} asks for, as an ordered list of mounts over a read-only
 * view of the whole machine: private scratch folders ({@code /tmp}, {@code /var/tmp}), a private
 * {@code /run} (where the user's and the system's sockets live) with only the resolver
 * configuration shown, the hidden paths covered, the readable and writable paths shown again.
 *
 * <p>Paths are resolved to where their links lead, so a link cannot reach around a mount; paths
 * that do not exist are left out. Mounts are ordered by depth, so a writable worktree inside a
 * hidden state folder is shown again after the state folder was covered. Where a path is asked for
 * twice, writable wins over readable, and readable over hidden.
 */
final class MountPlan {
  /** What is mounted at one path. */
  enum Kind {
    /** An empty, writable, private folder. */
    SCRATCH,
    /** An empty folder, made read-only once everything inside it is mounted. */
    COVER_DIRECTORY,
    /** An empty file. */
    COVER_FILE,
    /** The machine's path, read-only. */
    READ,
    /** The machine's path, writable. */
    WRITE
  }

  /** One mount. */
  record Mount(Kind kind, Path path) {}

  /** Folders every sandbox replaces with private ones: their contents belong to other programs. */
  static final List<Path> SCRATCH = List.of(Path.of("/tmp"), Path.of("/var/tmp"));

  /** Where sockets of the user's session and of system services live (D-Bus, systemd, agents). */
  static final Path RUN = Path.of("/run");

  private final List<Mount> mounts;

  private MountPlan(List<Mount> mounts) {
    this.mounts = List.copyOf(mounts);
  }

  /** The mounts in the order they must be made. */
  List<Mount> mounts() {
    return mounts;
  }

  /** The plan for {@code profile} on this machine's file system. */
  static MountPlan of(SandboxProfile profile) {
    Map<Path, Kind> wanted = new LinkedHashMap<>();
    List<Path> covered = new ArrayList<>();
    for (Path p : SCRATCH) {
      if (Files.isDirectory(p)) {
        Path real = real(p).orElse(p);
        wanted.put(real, Kind.SCRATCH);
        covered.add(real);
      }
    }
    if (Files.isDirectory(RUN)) {
      Path run = real(RUN).orElse(RUN);
      wanted.put(run, Kind.COVER_DIRECTORY);
      covered.add(run);
      // Names are resolved through /etc/resolv.conf, which often leads into /run.
      real(Path.of("/etc/resolv.conf"))
          .filter(r -> r.startsWith(run))
          .ifPresent(r -> wanted.put(r, Kind.READ));
    }
    for (Path p : profile.hidden()) {
      Optional<Path> real = real(p);
      if (real.isEmpty() || covered.stream().anyMatch(real.get()::startsWith)) {
        continue;
      }
      wanted.putIfAbsent(
          real.get(), Files.isDirectory(real.get()) ? Kind.COVER_DIRECTORY : Kind.COVER_FILE);
    }
    for (Path p : profile.readable()) {
      real(p).ifPresent(r -> wanted.merge(r, Kind.READ, MountPlan::stronger));
    }
    for (Path p : profile.writable()) {
      real(p).ifPresent(r -> wanted.merge(r, Kind.WRITE, MountPlan::stronger));
    }
    List<Mount> mounts = new ArrayList<>();
    wanted.forEach((path, kind) -> mounts.add(new Mount(kind, path)));
    // A stable sort keeps the order above among paths of the same depth.
    mounts.sort(Comparator.comparingInt(m -> m.path().getNameCount()));
    return new MountPlan(mounts);
  }

  /** Where the plan shows {@code path} writable, readable, or not at all. */
  private static Kind stronger(Kind a, Kind b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  private static Optional<Path> real(Path p) {
    try {
      return Optional.of(p.toRealPath());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
