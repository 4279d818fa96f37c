package dev.overnight.macos.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.WakeScheduler.Scheduled;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** Wake scheduling through the recording native facade: the IOKit calls it would make. */
class MacWakeSchedulerTest {
  private static final Instant NOW = Instant.parse("2026-03-01T20:00:00Z");
  private static final Instant WAKE = Instant.parse("2026-03-02T01:58:00Z");

  private final FakeMacSystem system = new FakeMacSystem();

  private MacWakeScheduler scheduler(boolean root) {
    return new MacWakeScheduler(system, () -> root, InstantSource.fixed(NOW));
  }

  @Test
  void asRootAWakeIsScheduledAndCancelledWithTheSameValues() {
    MacWakeScheduler s = scheduler(true);

    assertThat(s.availability().possible()).isTrue();
    Scheduled scheduled = s.schedule(WAKE, "overnight window");
    s.cancel(scheduled.id().orElseThrow());

    assertThat(system.powerEvents)
        .containsExactly(
            "schedule 2026-03-02T01:58:00Z dev.overnight wake",
            "cancel 2026-03-02T01:58:00Z dev.overnight wake");
  }

  @Test
  void withoutRootNothingIsAttemptedAndTheReasonNamesTheFix() {
    MacWakeScheduler s = scheduler(false);

    assertThat(s.availability().possible()).isFalse();
    assertThat(s.availability().detail()).contains("root").contains("LaunchDaemon");
    assertThat(s.schedule(WAKE, "night").failure()).contains("root");
    assertThat(system.powerEvents).isEmpty();
  }

  @Test
  void aRefusalFromIoKitIsAFailureWithItsCode() {
    system.powerEventReturn = 0xE00002C1;

    Scheduled scheduled = scheduler(true).schedule(WAKE, "night");

    assertThat(scheduled.id()).isEmpty();
    assertThat(scheduled.failure()).contains("0xe00002c1");
  }

  @Test
  void aPassedInstantIsRefusedWithoutANativeCall() {
    assertThat(scheduler(true).schedule(NOW, "night").failure()).contains("has passed");
    assertThat(system.powerEvents).isEmpty();
  }

  @Test
  void absoluteTimeCountsFromTheCoreFoundationReferenceDate() {
    assertThat(CoreFoundationDates.absoluteTime(Instant.parse("2001-01-01T00:00:00Z")))
        .isEqualTo(0.0);
    assertThat(CoreFoundationDates.absoluteTime(Instant.parse("2001-01-01T00:01:00.5Z")))
        .isEqualTo(60.5);
  }
}
