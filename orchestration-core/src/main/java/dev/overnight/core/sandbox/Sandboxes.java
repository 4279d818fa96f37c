package dev.overnight.core.sandbox;

import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.sandbox.internal.BubblewrapSandbox;
import dev.overnight.core.sandbox.internal.SandboxExecSandbox;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the sandbox this machine has: bubblewrap ({@code bwrap} on PATH) on Linux, {@code
 * sandbox-exec} on macOS, each tried once with a harmless command, since being installed is not
 * being usable (a kernel or AppArmor policy may forbid the namespaces bubblewrap needs). Where none
 * works the answer is {@link Sandbox#unavailable}, saying why and how to install one.
 *
 * <p>Thread-safe. Detection runs processes and blocks for at most a few seconds; {@link
 * #forThisMachine()} detects once per JVM.
 *
 * @since 0.1.0
 */
public final class Sandboxes {
  /** How long the trial run of a sandbox may take. */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  /** How to install bubblewrap, for messages. */
  public static final String INSTALL_BUBBLEWRAP =
      "install bubblewrap: `sudo apt-get install bubblewrap` (Debian, Ubuntu),"
          + " `sudo dnf install bubblewrap` (Fedora), `sudo pacman -S bubblewrap` (Arch)";

  private static final Path SANDBOX_EXEC = Path.of("/usr/bin/sandbox-exec");

  private Sandboxes() {}

  /** The sandbox of this machine, detected on first use and kept for the JVM's life. */
  public static Sandbox forThisMachine() {
    return Detected.SANDBOX;
  }

  /**
   * Detects the sandbox of a machine.
   *
   * @param os the operating system
   * @param environment where {@code PATH} is read
   * @param commands runs the version query and the trial run
   * @param root whether commands run as root (uid 0)
   */
  public static Sandbox detect(
      OsFamily os, Map<String, String> environment, CommandRunner commands, boolean root) {
    switch (os) {
      case LINUX:
        return bubblewrap(environment, commands, root);
      case MACOS:
        return sandboxExec(commands);
      default:
        return Sandbox.unavailable(
            "no sandbox is supported on " + os,
            "run Overnight on Linux with bubblewrap, or on macOS");
    }
  }

  /** Whether this process runs as root: its effective user id, as Linux reports it, is 0. */
  public static boolean runningAsRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] ids = line.substring(4).trim().split("\\s+");
          return ids.length > 1 && ids[1].equals("0");
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or no /proc: fall back on the user name.
    }
    return "root".equals(System.getProperty("user.name"));
  }

  private static Sandbox bubblewrap(
      Map<String, String> environment, CommandRunner commands, boolean root) {
    Optional<Path> bwrap = onPath("bwrap", environment);
    if (bwrap.isEmpty()) {
      return Sandbox.unavailable(
          "bubblewrap (bwrap) is not installed, or not on PATH", INSTALL_BUBBLEWRAP);
    }
    CommandResult version =
        commands.run(List.of(bwrap.get().toString(), "--version"), PROBE_TIMEOUT);
    List<String> probe = new ArrayList<>();
    probe.add(bwrap.get().toString());
    if (root) {
      probe.addAll(List.of("--cap-drop", "ALL"));
    }
    probe.addAll(
        List.of(
            "--unshare-user",
            "--unshare-pid",
            "--unshare-net",
            "--die-with-parent",
            "--ro-bind",
            "/",
            "/",
            "--dev",
            "/dev",
            "--proc",
            "/proc",
            "--",
            onPath("true", environment).orElse(Path.of("/bin/true")).toString()));
    CommandResult tried = commands.run(probe, PROBE_TIMEOUT);
    if (!tried.succeeded()) {
      return Sandbox.unavailable(
          bwrap.get() + " cannot create a sandbox here (" + tried.describe() + ")",
          "allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 and"
              + " user.max_user_namespaces > 0; on Ubuntu 24.04 and later install the AppArmor"
              + " profile that ships with bubblewrap)");
    }
    return new BubblewrapSandbox(
        bwrap.get(), version.succeeded() ? version.firstLine() : "bubblewrap", root);
  }

  private static Sandbox sandboxExec(CommandRunner commands) {
    if (!Files.isExecutable(SANDBOX_EXEC)) {
      return Sandbox.unavailable(
          SANDBOX_EXEC + " is missing", "use a macOS where sandbox-exec is present");
    }
    CommandResult tried =
        commands.run(
            List.of(SANDBOX_EXEC.toString(), "-p", "(version 1)(allow default)", "/usr/bin/true"),
            PROBE_TIMEOUT);
    if (!tried.succeeded()) {
      return Sandbox.unavailable(
          "sandbox-exec cannot create a sandbox here (" + tried.describe() + ")",
          "Overnight may itself run in a sandbox, where macOS allows no other; run it outside");
    }
    return new SandboxExecSandbox(SANDBOX_EXEC);
  }

  private static Optional<Path> onPath(String name, Map<String, String> environment) {
    for (String dir : environment.getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Detected on first use: the trial run costs a few milliseconds, once. */
  private static final class Detected {
    static final Sandbox SANDBOX =
        detect(OsFamily.current(), System.getenv(), CommandRunner.system(), runningAsRoot());
  }
}
