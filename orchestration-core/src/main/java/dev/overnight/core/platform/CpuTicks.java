package dev.overnight.core.platform;

/**
 * Two readings of cumulative CPU time counters, turned into the share of time spent busy.
 *
 * <p>Counters are unsigned and may wrap: macOS keeps them in 32 bits ({@code natural_t}), so a
 * delta is taken modulo 2<sup>{@code bits}</sup>.
 *
 * @param busy cumulative busy ticks (user, nice, system, …)
 * @param idle cumulative idle ticks (idle, iowait)
 * @since 0.1.0
 */
public record CpuTicks(long busy, long idle) {

  /**
   * The busy percentage between an earlier and this later reading, or {@code NaN} when no time
   * passed between them (the counters did not move).
   *
   * @param earlier the first reading
   * @param counterBits the width of each counter: 32 on macOS, 64 on Linux
   */
  public double busyPercentSince(CpuTicks earlier, int counterBits) {
    long busyDelta = delta(earlier.busy, busy, counterBits);
    long idleDelta = delta(earlier.idle, idle, counterBits);
    long total = busyDelta + idleDelta;
    if (total <= 0) {
      return Double.NaN;
    }
    return 100.0 * busyDelta / total;
  }

  /** {@code later - earlier} modulo 2<sup>bits</sup>, for counters that wrap at that width. */
  public static long delta(long earlier, long later, int bits) {
    if (bits >= 64) {
      return later - earlier;
    }
    long mask = (1L << bits) - 1;
    return (later - earlier) & mask;
  }
}
