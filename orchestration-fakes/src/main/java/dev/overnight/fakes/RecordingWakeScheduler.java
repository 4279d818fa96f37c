package dev.overnight.fakes;

import dev.overnight.api.PowerState;
import dev.overnight.api.WakeAvailability;
import dev.overnight.api.WakeScheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link WakeScheduler} that wakes nothing but records every wake scheduled and cancelled, and
 * which wakes are still outstanding. For asserting that a sleeping machine would be woken ahead of
 * its window, and left alone once Overnight stops. Its {@link #powerState()} is whatever the test
 * set with {@link #power}: nothing known until then. Thread-safe.
 *
 * @since 0.1.0
 */
public final class RecordingWakeScheduler implements WakeScheduler {
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<WakeId> outstanding = new CopyOnWriteArrayList<>();
  private volatile Optional<String> refusal = Optional.empty();
  private volatile PowerState power = PowerState.unknown();
  private int next;

  @Override
  public WakeAvailability availability() {
    return refusal
        .map(WakeAvailability::impossible)
        .orElseGet(() -> WakeAvailability.possible("recording", "wakes nothing"));
  }

  @Override
  public synchronized Scheduled schedule(Instant at, String reason) {
    calls.add("schedule " + at);
    if (refusal.isPresent()) {
      return Scheduled.failed(refusal.get());
    }
    WakeId id = new WakeId("wake-" + ++next, at);
    outstanding.add(id);
    return Scheduled.ok(id);
  }

  @Override
  public void cancel(WakeId id) {
    calls.add("cancel " + id.at());
    outstanding.remove(id);
  }

  @Override
  public String describe() {
    return "recording";
  }

  @Override
  public PowerState powerState() {
    return power;
  }

  /** What {@link #powerState()} answers from now on, as the machine would read it. */
  public void power(PowerState value) {
    power = java.util.Objects.requireNonNull(value, "value");
  }

  /** Refuses every later wake with {@code why}, as a platform without permission does. */
  public void refuse(String why) {
    refusal = Optional.of(why);
  }

  /** Every call in order: {@code "schedule AT"} and {@code "cancel AT"}. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  /** When the wakes scheduled and not cancelled would wake the machine. */
  public List<Instant> outstanding() {
    List<Instant> out = new ArrayList<>();
    outstanding.forEach(w -> out.add(w.at()));
    return out;
  }
}
