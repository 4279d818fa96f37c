package dev.overnight.core.schedule;

import java.util.random.RandomGenerator;

/** A "random" source that always draws the same fraction of the range: deterministic jitter. */
final class FixedJitter implements RandomGenerator {
  private final double fraction;

  FixedJitter(double fraction) {
    this.fraction = fraction;
  }

  @Override
  public long nextLong() {
    return 0;
  }

  @Override
  public long nextLong(long origin, long bound) {
    return origin + Math.round((bound - 1 - origin) * fraction);
  }
}
