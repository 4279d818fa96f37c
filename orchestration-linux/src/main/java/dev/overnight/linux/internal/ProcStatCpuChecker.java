package dev.overnight.linux.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.core.platform.CpuLimit;
import dev.overnight.core.platform.CpuTicks;
import dev.overnight.core.time.Durations;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code cpu_max_percentage} from two readings of {@code /proc/stat}'s {@code cpu} line a short
 * window apart.
 *
 * <p>Busy is {@code user + nice + system + irq + softirq + steal}; idle is {@code idle + iowait}.
 * {@code guest} and {@code guest_nice} are left out because the kernel already counts them in
 * {@code user} and {@code nice}.
 */
public final class ProcStatCpuChecker implements ConstraintChecker {
  /**
   * The default sampling window: short enough for the 2 s check timeout, long enough to mean
   * something.
   */
  public static final Duration DEFAULT_WINDOW = Duration.ofMillis(500);

  private final LinuxHost host;
  private final CpuLimit limit;
  private final Duration window;

  /** Creates the checker. */
  public ProcStatCpuChecker(LinuxHost host, CpuLimit limit, Duration window) {
    this.host = host;
    this.limit = limit;
    this.window = window;
  }

  @Override
  public String name() {
    return "cpu_max_percentage";
  }

  @Override
  public ConstraintResult check() {
    Optional<CpuTicks> first;
    Optional<CpuTicks> second;
    try {
      first = read();
      if (first.isEmpty()) {
        return unreadable();
      }
      host.pause(window);
      second = read();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ConstraintResult.unknown("interrupted while sampling CPU use");
    }
    if (second.isEmpty()) {
      return unreadable();
    }
    if (second.get().busy() < first.get().busy() || second.get().idle() < first.get().idle()) {
      return ConstraintResult.unknown(
          "CPU counters in " + host.describeProc("stat") + " went backwards between samples");
    }
    double busy = second.get().busyPercentSince(first.get(), 64);
    if (Double.isNaN(busy)) {
      return ConstraintResult.unknown(
          "CPU counters in "
              + host.describeProc("stat")
              + " did not move in "
              + Durations.human(window));
    }
    return limit.judge(busy, window);
  }

  private ConstraintResult unreadable() {
    return ConstraintResult.unknown("cannot read the cpu line of " + host.describeProc("stat"));
  }

  private Optional<CpuTicks> read() {
    return host.proc("stat").flatMap(ProcStatCpuChecker::parse);
  }

  /** The aggregate {@code cpu} line as busy and idle ticks, when it parses. */
  static Optional<CpuTicks> parse(String stat) {
    return stat.lines()
        .filter(l -> l.startsWith("cpu "))
        .findFirst()
        .flatMap(
            line -> {
              String[] f = line.trim().split("\\s+");
              if (f.length < 5) {
                return Optional.empty();
              }
              long[] v = new long[8];
              try {
                for (int i = 1; i < f.length && i <= 8; i++) {
                  v[i - 1] = Long.parseLong(f[i]);
                }
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
              long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
              long idle = v[3] + v[4];
              return Optional.of(new CpuTicks(busy, idle));
            });
  }
}
