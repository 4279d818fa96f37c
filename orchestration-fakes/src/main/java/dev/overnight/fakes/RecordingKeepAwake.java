package dev.overnight.fakes;

import dev.overnight.api.KeepAwake;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link KeepAwake} that keeps nothing awake but counts: how many holds were taken, how many are
 * held now, and why they were asked for. For asserting that work keeps the machine awake, and lets
 * it sleep again. Thread-safe.
 *
 * @since 0.1.0
 */
public final class RecordingKeepAwake implements KeepAwake {
  private final AtomicInteger acquired = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();
  private final List<String> reasons = new CopyOnWriteArrayList<>();

  @Override
  public Handle acquire(String reason) {
    acquired.incrementAndGet();
    held.incrementAndGet();
    reasons.add(reason);
    AtomicBoolean open = new AtomicBoolean(true);
    return new Handle() {
      @Override
      public boolean held() {
        return open.get();
      }

      @Override
      public void close() {
        if (open.compareAndSet(true, false)) {
          held.decrementAndGet();
        }
      }
    };
  }

  @Override
  public String describe() {
    return "recording (test)";
  }

  /** How many holds were taken so far. */
  public int acquisitions() {
    return acquired.get();
  }

  /** How many holds are taken and not released. */
  public int heldNow() {
    return held.get();
  }

  /** The reasons given, in order. */
  public List<String> reasons() {
    return List.copyOf(reasons);
  }
}
