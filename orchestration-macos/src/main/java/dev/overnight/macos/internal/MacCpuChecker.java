package dev.overnight.macos.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.core.platform.CpuLimit;
import dev.overnight.core.platform.CpuTicks;
import dev.overnight.core.time.Durations;
import java.time.Duration;

/**
 * {@code cpu_max_percentage} from two {@code host_statistics(HOST_CPU_LOAD_INFO)} readings a short
 * window apart. The tick counters are 32-bit and wrap, so each counter's delta is taken modulo
 * 2<sup>32</sup> before they are added.
 */
public final class MacCpuChecker implements ConstraintChecker {
  /** The default sampling window. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMillis(500);

  private static final int USER = 0;
  private static final int SYSTEM = 1;
  private static final int IDLE = 2;
  private static final int NICE = 3;

  private final MacSystem system;
  private final CpuLimit limit;
  private final Duration window;

  /** Creates the checker. */
  public MacCpuChecker(MacSystem system, CpuLimit limit, Duration window) {
    this.system = system;
    this.limit = limit;
    this.window = window;
  }

  @Override
  public String name() {
    return "cpu_max_percentage";
  }

  @Override
  public ConstraintResult check() {
    long[] first;
    long[] second;
    try {
      first = system.cpuLoadTicks();
      system.pause(window);
      second = system.cpuLoadTicks();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ConstraintResult.unknown("interrupted while sampling CPU use");
    } catch (RuntimeException | LinkageError e) {
      return ConstraintResult.unknown("cannot read CPU ticks: " + e);
    }
    if (first == null || second == null || first.length < 4 || second.length < 4) {
      return ConstraintResult.unknown("host_statistics gave no CPU ticks");
    }
    long busy =
        delta(first, second, USER) + delta(first, second, SYSTEM) + delta(first, second, NICE);
    long idle = delta(first, second, IDLE);
    if (busy + idle == 0) {
      return ConstraintResult.unknown("CPU ticks did not move in " + Durations.human(window));
    }
    return limit.judge(100.0 * busy / (busy + idle), window);
  }

  private static long delta(long[] first, long[] second, int state) {
    return CpuTicks.delta(first[state], second[state], 32);
  }
}
