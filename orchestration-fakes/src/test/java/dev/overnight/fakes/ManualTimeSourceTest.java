package dev.overnight.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualTimeSourceTest {
  private static final Instant T0 = Instant.parse("2026-06-10T00:00:00Z");
  private final ManualTimeSource time = new ManualTimeSource(T0);
  private final List<String> log = new ArrayList<>();

  private void at(long seconds, String name) {
    time.schedule(T0.plusSeconds(seconds), () -> log.add(name + "@" + time.instant()));
  }

  @Test
  void theClockMovesOnlyWhenTold() {
    assertThat(time.instant()).isEqualTo(T0);
    assertThat(time.runUntil(T0.plus(Duration.ofHours(1)))).isZero();
    assertThat(time.instant()).isEqualTo(T0.plusSeconds(3600));
    assertThat(time.advance(Duration.ofHours(1))).isEqualTo(T0.plusSeconds(7200));
  }

  @Test
  void advanceRunsDueActionsInOrderAtTheirInstants() {
    at(30, "c");
    at(10, "a");
    at(20, "b1");
    at(20, "b2");
    at(90, "late");
    assertThat(time.runUntil(T0.plus(Duration.ofMinutes(1)))).isEqualTo(4);
    assertThat(log)
        .containsExactly(
            "a@2026-06-10T00:00:10Z",
            "b1@2026-06-10T00:00:20Z",
            "b2@2026-06-10T00:00:20Z",
            "c@2026-06-10T00:00:30Z");
    assertThat(time.instant()).isEqualTo(T0.plusSeconds(60));
    assertThat(time.pending()).isEqualTo(1);
    assertThat(time.nextDue()).contains(T0.plusSeconds(90));
  }

  @Test
  void actionsMayScheduleAndAdvance() {
    time.schedule(
        T0.plusSeconds(10),
        () -> {
          log.add("cycle starts@" + time.instant());
          at(15, "tick during the cycle");
          time.advance(Duration.ofSeconds(40)); // a cycle that takes 40 s
          log.add("cycle ends@" + time.instant());
        });
    at(30, "next wake");
    time.advance(Duration.ofSeconds(100));
    assertThat(log)
        .containsExactly(
            "cycle starts@2026-06-10T00:00:10Z",
            "tick during the cycle@2026-06-10T00:00:15Z",
            "next wake@2026-06-10T00:00:30Z",
            "cycle ends@2026-06-10T00:00:50Z");
    assertThat(time.instant()).isEqualTo(T0.plusSeconds(100));
  }

  @Test
  void aWallClockJumpRunsNothingUntilTheTimerNotices() {
    at(60, "wake");
    time.setWallClock(T0.plusSeconds(3600));
    assertThat(log).isEmpty();
    assertThat(time.runDue()).isEqualTo(1);
    assertThat(log).containsExactly("wake@2026-06-10T01:00:00Z");

    at(3700, "later");
    time.setWallClock(T0); // set back
    assertThat(time.runDue()).isZero();
    time.runUntil(T0.plusSeconds(3700));
    assertThat(log).last().isEqualTo("later@2026-06-10T01:01:40Z");
  }

  @Test
  void runNextDueJumpsToTheEarliestAction() {
    at(500, "b");
    at(200, "a");
    assertThat(time.runNextDue()).isTrue();
    assertThat(log).containsExactly("a@2026-06-10T00:03:20Z");
    assertThat(time.runNextDue()).isTrue();
    assertThat(time.runNextDue()).isFalse();
    assertThat(time.instant()).isEqualTo(T0.plusSeconds(500));
  }

  @Test
  void cancelledActionsNeverRun() {
    Cancellable handle = time.schedule(T0.plusSeconds(5), () -> log.add("x"));
    assertThat(handle.cancel()).isTrue();
    assertThat(handle.cancel()).isFalse();
    time.advance(Duration.ofMinutes(1));
    assertThat(log).isEmpty();
    assertThat(time.pending()).isZero();
  }

  @Test
  void aFailingActionDoesNotStopTheOthersButFailsTheCall() {
    time.schedule(
        T0.plusSeconds(1),
        () -> {
          throw new IllegalStateException("boom");
        });
    at(2, "after");
    assertThatThrownBy(() -> time.advance(Duration.ofSeconds(5)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("boom");
    assertThat(log).containsExactly("after@2026-06-10T00:00:02Z");
    assertThat(time.instant()).isEqualTo(T0.plusSeconds(5));
    time.advance(Duration.ofSeconds(5)); // reported once
  }

  @Test
  void timeDoesNotRunBackwardsThroughAdvance() {
    assertThatThrownBy(() -> time.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
