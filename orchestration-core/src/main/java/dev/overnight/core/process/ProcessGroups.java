package dev.overnight.core.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process groups for agents: started as the leader of a new session (hence of a new process group
 * whose id is its pid), an agent and everything it starts can be ended together, even after the
 * process that started them has died and the children were left to init.
 *
 * <p>Java cannot call {@code setsid(2)} for a child, so the agent's command line is prefixed with a
 * program that does and then runs it in its place, keeping the pid: {@code setsid} (util-linux on
 * every Linux, also from Homebrew on macOS), else {@code perl} (part of macOS) calling {@code
 * POSIX::setsid}. When neither is installed the agent runs in Overnight's own group and only its
 * process tree can be ended. Ending a group uses the shell's {@code kill} on the negative pid,
 * which POSIX shells on Linux and macOS all accept.
 *
 * <p>Stateless and thread-safe; {@link #kill} blocks until {@code kill} returns.
 *
 * @since 0.1.0
 */
public final class ProcessGroups {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessGroups.class);

  /** How a command is made the leader of a new session. */
  public enum Launcher {
    /** util-linux {@code setsid}: calls setsid(2) and execs the command (no fork: same pid). */
    SETSID,
    /** {@code perl}: {@code POSIX::setsid()} then {@code exec}, for machines without setsid. */
    PERL,
    /** Neither is available: the command runs as it is, in Overnight's process group. */
    NONE;

    /**
     * {@code argv} prefixed so that it runs as the leader of a new session, with the same pid.
     *
     * @param program the launcher's executable ({@code setsid} or {@code perl}), as found
     */
    public List<String> wrap(Path program, List<String> argv) {
      List<String> out = new ArrayList<>();
      switch (this) {
        case SETSID -> out.add(program.toString());
        case PERL -> {
          out.add(program.toString());
          out.add("-e");
          out.add(
              "use POSIX (); POSIX::setsid() != -1 or die \"setsid: $!\\n\";"
                  + " exec { $ARGV[0] } @ARGV or die \"cannot run $ARGV[0]: $!\\n\";");
          out.add("--");
        }
        case NONE -> {
          // As it is.
        }
      }
      out.addAll(argv);
      return List.copyOf(out);
    }
  }

  /** A launcher and where its program was found. */
  public record SessionLauncher(Launcher launcher, Optional<Path> program) {
    /** Validates the components: every launcher but {@link Launcher#NONE} has its program. */
    public SessionLauncher {
      if (launcher != Launcher.NONE && program.isEmpty()) {
        throw new IllegalArgumentException(launcher + " needs its program");
      }
    }

    /** {@code argv} run as the leader of a new session (as it is for {@link Launcher#NONE}). */
    public List<String> wrap(List<String> argv) {
      return launcher.wrap(program.orElse(Path.of("")), argv);
    }

    /** Whether commands wrapped by it lead a group of their own. */
    public boolean leadsAGroup() {
      return launcher != Launcher.NONE;
    }
  }

  private static final SessionLauncher DETECTED = detect(System.getenv("PATH"));

  private ProcessGroups() {}

  /** The launcher of this machine, found once on this process's {@code PATH}. */
  public static SessionLauncher launcher() {
    return DETECTED;
  }

  /** The launcher found on {@code path} (a {@code PATH} value): setsid, else perl, else none. */
  public static SessionLauncher detect(String path) {
    Optional<Path> setsid = find("setsid", path);
    if (setsid.isPresent()) {
      return new SessionLauncher(Launcher.SETSID, setsid);
    }
    Optional<Path> perl = find("perl", path);
    if (perl.isPresent()) {
      return new SessionLauncher(Launcher.PERL, perl);
    }
    LOG.warn(
        "Neither setsid nor perl is on PATH: agents run in Overnight's own process group, and what"
            + " they start may outlive Overnight if it is killed");
    return new SessionLauncher(Launcher.NONE, Optional.empty());
  }

  /**
   * Kills ({@code SIGKILL}) the process group {@code leader} leads, if it still exists: the leader,
   * if alive, and whatever is left in its group. Safe against pid reuse: a group's id is never
   * given to a new process while the group has members, and a live process with the leader's pid
   * that started at another time means the group is gone.
   *
   * @return whether the group still existed and was sent the signal
   */
  public static boolean kill(ProcessIdentity leader) {
    Optional<ProcessHandle> alive = ProcessHandle.of(leader.pid()).filter(ProcessHandle::isAlive);
    if (alive.isPresent() && !leader.isAlive()) {
      return false; // the pid belongs to a newer process: the group ended long ago
    }
    CommandResult r =
        CommandRunner.system()
            .run(
                List.of(
                    "sh",
                    "-c",
                    "kill -s KILL -- -\"$1\" 2>/dev/null",
                    "sh",
                    Long.toString(leader.pid())),
                Duration.ofSeconds(10));
    return r.succeeded();
  }

  private static Optional<Path> find(String name, String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
