package dev.overnight.linux.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.core.platform.IdleRequirement;
import dev.overnight.core.process.CommandResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code suspend_if_active} from logind's {@code IdleHint} and {@code IdleSinceHint} on the Manager
 * object (all sessions, not the SSH session this may run from), read with {@code busctl}.
 *
 * <p>Desktops set the hint (GNOME and KDE do; many window managers don't); where logind cannot be
 * reached or does not know since when the user is idle, the answer is {@code UNKNOWN}.
 */
public final class LogindIdleChecker implements ConstraintChecker {
  static final Duration COMMAND_TIMEOUT = Duration.ofMillis(1500);
  static final List<String> COMMAND =
      List.of(
          "busctl",
          "get-property",
          "org.freedesktop.login1",
          "/org/freedesktop/login1",
          "org.freedesktop.login1.Manager",
          "IdleHint",
          "IdleSinceHint");

  private final LinuxHost host;
  private final IdleRequirement requirement;

  /** Creates the checker. */
  public LogindIdleChecker(LinuxHost host, IdleRequirement requirement) {
    this.host = host;
    this.requirement = requirement;
  }

  @Override
  public String name() {
    return "suspend_if_active";
  }

  @Override
  public ConstraintResult check() {
    CommandResult r = host.run(COMMAND, COMMAND_TIMEOUT);
    if (!r.succeeded()) {
      return ConstraintResult.unknown(
          "cannot read logind's IdleHint (busctl: " + r.describe() + ")");
    }
    List<String> lines = r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    Optional<Boolean> idle = lines.isEmpty() ? Optional.empty() : bool(lines.get(0));
    Optional<Long> sinceMicros = lines.size() < 2 ? Optional.empty() : uint64(lines.get(1));
    if (idle.isEmpty()) {
      return ConstraintResult.unknown("cannot parse busctl's answer: " + r.firstLine());
    }
    if (!idle.get()) {
      return ConstraintResult.unsatisfied("the user is active (logind IdleHint is false)");
    }
    if (sinceMicros.isEmpty() || sinceMicros.get() == 0) {
      return ConstraintResult.unknown(
          "logind's IdleHint is true but IdleSinceHint does not say since when");
    }
    Instant since =
        Instant.ofEpochSecond(
            sinceMicros.get() / 1_000_000, (sinceMicros.get() % 1_000_000) * 1000);
    Duration idleFor = Duration.between(since, host.now());
    if (idleFor.isNegative()) {
      idleFor = Duration.ZERO;
    }
    return requirement.judge(idleFor, "logind IdleSinceHint");
  }

  /** {@code b true} → true. */
  private static Optional<Boolean> bool(String line) {
    if (line.equals("b true")) {
      return Optional.of(true);
    }
    if (line.equals("b false")) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  /** {@code t 1732560000000000} → the number. */
  private static Optional<Long> uint64(String line) {
    if (!line.startsWith("t ")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseUnsignedLong(line.substring(2).strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
