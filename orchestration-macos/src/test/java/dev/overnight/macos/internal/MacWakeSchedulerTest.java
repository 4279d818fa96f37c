package dev.overnight.macos.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.PowerState;
import dev.overnight.api.WakeScheduler.Scheduled;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
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

  @Test
  void aDarkWakeIsCpuWithoutVideo() {
    system.capabilities = 0x1 | 0x8 | 0x10; // CPU, network, disk: no video

    assertThat(scheduler(false).powerState().darkWake()).contains(true);

    system.capabilities = 0x1F;
    assertThat(scheduler(false).powerState().darkWake()).contains(false);
  }

  @Test
  void aClosedLidOnBatteryIsReadFromTheClamshellAndTheProvidingSource() {
    system.power =
        new MacSystem.PowerSnapshot(
            Optional.of("Battery Power"),
            List.of(FakeMacSystem.internalBattery("Battery Power", 58, false)));
    system.clamshell = Optional.of(true);

    PowerState state = scheduler(false).powerState();

    assertThat(state)
        .isEqualTo(new PowerState(Optional.of(true), Optional.of(true), Optional.of(false)));
  }

  @Test
  void aMacMiniOnMainsHasNoLidAndAFailedReadIsUnknown() {
    system.powerFailure = new IllegalStateException("IOPSCopyPowerSourcesInfo returned NULL");

    PowerState state = scheduler(false).powerState();

    assertThat(state.onBattery()).isEmpty();
    assertThat(state.lidClosed()).isEmpty();
  }
}
