package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.fakes.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Settings that would silently discard one another are refused, naming both. */
class SchedulerBuilderTest {
  private static final Schedule NIGHTLY = Schedule.cron("0 2 * * *");

  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-06-10T00:00:00Z"));

  @Test
  void aReadyGateRefusesProvidersMeantForBuildingOne() {
    SwitchableChecker power = new SwitchableChecker("plugged_in", ConstraintResult.satisfied("AC"));

    assertThatThrownBy(
            () ->
                builder()
                    .constraintGate(ConstraintGate.none())
                    .constraintProvider(power.provider())
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("constraintGate(...) and constraintProvider(...)");
    assertThatThrownBy(
            () ->
                builder()
                    .constraintProvider(power.provider())
                    .constraintGate(ConstraintGate.none())
                    .build())
        .as("in either order")
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("constraintGate(...) and constraintProvider(...)");
    assertThatThrownBy(
            () ->
                builder()
                    .providerLoader(ProviderLoader.none())
                    .constraintGate(ConstraintGate.none())
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("constraintGate(...) and providerLoader(...)");
  }

  @Test
  void aConfigRefusesTheSettingsItAlreadyHolds() {
    OrchestrationConfig config = OrchestrationConfig.builder(ConfigValue.of("/tmp/repo")).build();

    assertThatThrownBy(
            () ->
                DefaultScheduler.builder()
                    .schedule(NIGHTLY)
                    .config(config)
                    .timeBudget(Duration.ofMinutes(20))
                    .timeSource(time)
                    .providerLoader(ProviderLoader.none())
                    .cycleRunner(ctx -> {})
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("config(...) and schedule(...)")
        .hasMessageContaining("config(...) and timeBudget(...)");
  }

  @Test
  void aGateWithTheConstraintsItsRecheckComesFromIsNoConflict() {
    DefaultScheduler scheduler =
        builder().constraints(Constraints.none()).constraintGate(ConstraintGate.none()).build();
    scheduler.start();
    assertThat(scheduler.state())
        .isEqualTo(new SchedulerState.Running(Instant.parse("2026-06-10T02:00:00Z")));
    scheduler.stop();
  }

  @Test
  void aMissingScheduleOrRunnerIsNamed() {
    assertThatThrownBy(() -> DefaultScheduler.builder().cycleRunner(ctx -> {}).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("schedule (or config) is required");
    assertThatThrownBy(() -> DefaultScheduler.builder().schedule(NIGHTLY).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("cycleRunner is required");
  }

  private DefaultScheduler.Builder builder() {
    return DefaultScheduler.builder()
        .schedule(NIGHTLY.withTimezone(ZoneOffset.UTC))
        .timeSource(time)
        .cycleExecutor(Runnable::run)
        .shutdownHook(false)
        .cycleRunner(ctx -> {});
  }
}
