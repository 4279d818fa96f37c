package dev.overnight.core.sandbox.internal;

import dev.overnight.api.Availability;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.SandboxProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Linux confinement through bubblewrap ({@code bwrap}): a read-only view of the machine with the
 * profile's mounts on top (see {@link MountPlan}), its own user, process, IPC and host name
 * namespaces, its own network namespace (only a loopback of its own) unless the profile allows the
 * network, a fresh {@code /proc} and a minimal {@code /dev}, and no capabilities.
 *
 * <p>Run by root, bubblewrap would keep root's capabilities, with which a command could undo the
 * mounts that hide paths: they are dropped. An agent that builds its own sandbox inside this one
 * (Codex runs bubblewrap itself) then needs one capability back, {@code CAP_SETFCAP}, because since
 * Linux 5.12 a user namespace may map root only when its creator holds it; it is given only to such
 * agents, and only in this sandbox's own user namespace. A non-root user's nested sandbox needs
 * nothing.
 *
 * <p>Immutable and thread-safe.
 */
public final class BubblewrapSandbox implements Sandbox {
  private final Path bwrap;
  private final String version;
  private final boolean root;

  /**
   * @param bwrap the {@code bwrap} executable
   * @param version what {@code bwrap --version} printed, e.g. {@code bubblewrap 0.8.0}
   * @param root whether commands run as root (uid 0)
   */
  public BubblewrapSandbox(Path bwrap, String version, boolean root) {
    this.bwrap = Objects.requireNonNull(bwrap, "bwrap");
    this.version = Objects.requireNonNull(version, "version");
    this.root = root;
  }

  @Override
  public String name() {
    return "bubblewrap";
  }

  @Override
  public boolean confines() {
    return true;
  }

  @Override
  public Availability availability() {
    return Availability.available(
        (version.isBlank() ? "bubblewrap" : version) + " (" + bwrap + ")");
  }

  @Override
  public List<String> wrap(List<String> argv, SandboxProfile profile) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs an executable");
    }
    List<String> a = new ArrayList<>();
    a.add(bwrap.toString());
    a.addAll(
        List.of(
            "--die-with-parent",
            "--new-session",
            "--unshare-user",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try"));
    if (!profile.network()) {
      a.add("--unshare-net");
    }
    if (root) {
      a.addAll(List.of("--cap-drop", "ALL"));
      if (profile.nestedSandboxes()) {
        a.addAll(List.of("--cap-add", "CAP_SETFCAP"));
      }
    }
    a.addAll(List.of("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"));
    List<Path> toSeal = new ArrayList<>();
    for (MountPlan.Mount m : MountPlan.of(profile).mounts()) {
      String p = m.path().toString();
      switch (m.kind()) {
        case SCRATCH -> a.addAll(List.of("--tmpfs", p));
        case COVER_DIRECTORY -> {
          a.addAll(List.of("--tmpfs", p));
          toSeal.add(m.path());
        }
        case COVER_FILE -> a.addAll(List.of("--ro-bind", "/dev/null", p));
        case READ -> a.addAll(List.of("--ro-bind", p, p));
        case WRITE -> a.addAll(List.of("--bind", p, p));
      }
    }
    // Sealed last: what is shown again inside a covered folder needs a mount point made there.
    for (Path p : toSeal) {
      a.addAll(List.of("--remount-ro", p.toString()));
    }
    // Temporary files go to the private /tmp, whatever the caller's TMPDIR pointed at.
    a.addAll(List.of("--unsetenv", "TMPDIR"));
    a.addAll(List.of("--chdir", profile.workingDirectory().toString(), "--"));
    a.addAll(argv);
    return a;
  }

  @Override
  public String toString() {
    return "BubblewrapSandbox[" + bwrap + ", " + version + (root ? ", as root" : "") + "]";
  }
}
