package dev.overnight.linux.internal;

import dev.overnight.core.process.CommandResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the Linux checkers read from the machine: {@code /sys}, {@code /proc}, short commands,
 * the environment and the clock. The checkers hold the logic; this facade only reads.
 *
 * <p>{@link SysfsLinuxHost} is the real one; tests point it at fake trees in a temp folder.
 * Implementations are thread-safe and never throw for a missing or unreadable file: it reads as
 * absent, as systemd treats a failing sysfs attribute.
 */
public interface LinuxHost {

  /** A {@code /sys} attribute (e.g. {@code class/power_supply/BAT0/status}), trimmed. */
  Optional<String> sys(String relative);

  /** Entry names of a {@code /sys} folder, sorted; empty when it does not exist. */
  List<String> sysList(String relative);

  /** Whether a {@code /sys} path exists. */
  boolean sysExists(String relative);

  /** The last path element a {@code /sys} symbolic link points to, e.g. a driver's name. */
  Optional<String> sysLinkName(String relative);

  /** A {@code /proc} file's whole text (e.g. {@code net/route}). */
  Optional<String> proc(String relative);

  /** Entry names of a {@code /proc} folder, sorted; empty when it does not exist. */
  List<String> procList(String relative);

  /** Runs a short command; see {@link dev.overnight.core.process.CommandRunner}. */
  CommandResult run(List<String> command, Duration timeout);

  /** An environment variable of this process, when set and non-empty. */
  Optional<String> env(String name);

  /** Now, for idle durations. */
  Instant now();

  /** Waits {@code duration} (the CPU sampling window). */
  void pause(Duration duration) throws InterruptedException;

  /** Whether the D-Bus system bus can be reached (its socket exists or its address is set). */
  boolean systemBusAvailable();

  /** Where the system bus was looked for, for messages. */
  String systemBusLocation();

  /** Where a {@code /sys} path is, for messages. */
  String describeSys(String relative);

  /** Where a {@code /proc} path is, for messages. */
  String describeProc(String relative);
}
