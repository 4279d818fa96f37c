package dev.overnight.core.schedule;

import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.CycleRunner;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.fakes.RecordingKeepAwake;
import dev.overnight.fakes.RecordingSchedulerListener;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A night on virtual time: a manual clock, a recording listener and keep-awake, a store, and a
 * cycle runner that records each context and then does whatever {@link #work} says.
 */
final class Night {
  final ZoneId zone;
  final ManualTimeSource time;
  final RecordingSchedulerListener events = new RecordingSchedulerListener();
  final RecordingKeepAwake keepAwake = new RecordingKeepAwake();
  final MemoryStateStore store;
  final List<CycleContext> cycles = new CopyOnWriteArrayList<>();
  volatile CycleRunner work = ctx -> {};

  Night(String zone, String startLocal) {
    this(zone, startLocal, new MemoryStateStore());
  }

  Night(String zone, String startLocal, MemoryStateStore store) {
    this.zone = ZoneId.of(zone);
    this.time = new ManualTimeSource(LocalDateTime.parse(startLocal).atZone(this.zone).toInstant());
    this.store = store;
  }

  static Schedule windowed(String expression, String start, String end) {
    return Schedule.cron(expression).withWindow(LocalTime.parse(start), LocalTime.parse(end));
  }

  /** A builder wired to this night: virtual time, cycles on the advancing thread, no discovery. */
  DefaultScheduler.Builder scheduler(Schedule schedule) {
    return wired(schedule).providerLoader(ProviderLoader.none());
  }

  /** A builder wired to this night whose constraints are checked by {@code gate}. */
  DefaultScheduler.Builder scheduler(Schedule schedule, ConstraintGate gate) {
    return wired(schedule).constraintGate(gate);
  }

  private DefaultScheduler.Builder wired(Schedule schedule) {
    return DefaultScheduler.builder()
        .id("night")
        .schedule(schedule.withTimezone(zone))
        .timeSource(time)
        .cycleExecutor(Runnable::run)
        .random(new FixedJitter(0))
        .keepAwake(keepAwake)
        .stateStore(store)
        .listener(events)
        .shutdownHook(false)
        .cycleRunner(
            ctx -> {
              cycles.add(ctx);
              work.runCycle(ctx);
            });
  }

  /** The instant of a local time in this night's zone (the earlier one in a repeat). */
  Instant at(String local) {
    return LocalDateTime.parse(local).atZone(zone).toInstant();
  }

  void advanceTo(String local) {
    time.runUntil(at(local));
  }

  void advance(Duration d) {
    time.advance(d);
  }

  /** Each cycle's planned time as an offset date-time in the zone. */
  List<String> planned() {
    return cycles.stream().map(c -> local(c.plannedAt())).toList();
  }

  /** Each cycle's start as an offset date-time in the zone. */
  List<String> started() {
    return cycles.stream().map(c -> local(c.startedAt())).toList();
  }

  String local(Instant t) {
    return ZonedDateTime.ofInstant(t, zone).toOffsetDateTime().toString();
  }

  /** The skips so far, as "planned-time reason". */
  List<String> skips() {
    return events.events(SchedulerEvent.CycleSkipped.class).stream()
        .map(s -> local(s.plannedAt()) + " " + s.reason().key())
        .toList();
  }

  /** A cycle that takes {@code d} of virtual time (advancing the clock from inside the cycle). */
  CycleRunner taking(Duration d) {
    return ctx -> time.advance(d);
  }

  /** Constraints with only {@code plugged_in} on, checked every minute while unsatisfied. */
  static Constraints pluggedIn() {
    return new Constraints(
        true,
        false,
        false,
        Optional.empty(),
        false,
        false,
        Constraints.DEFAULT_IDLE_MINUTES,
        UnknownPolicy.FAIL,
        Constraints.DEFAULT_CHECK_TIMEOUT,
        Constraints.DEFAULT_RECHECK_INTERVAL,
        Map.of());
  }

  /** A gate on this night's clock whose checkers run on the calling thread: deterministic. */
  ConstraintGate gate(Constraints constraints, ConstraintCheckerProvider... providers) {
    return ConstraintGate.builder(constraints)
        .register(List.of(providers))
        .providerLoader(ProviderLoader.none())
        .timeSource(time)
        .executor(Runnable::run)
        .build();
  }
}
