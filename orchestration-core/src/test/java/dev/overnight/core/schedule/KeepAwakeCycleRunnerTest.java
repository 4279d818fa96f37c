package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.schedule.CycleRunner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeepAwakeCycleRunnerTest {
  private static final Instant T = Instant.parse("2026-06-10T01:00:00Z");

  private final CountingKeepAwake keepAwake = new CountingKeepAwake();
  private final List<Integer> heldDuringCycle = new ArrayList<>();

  @Test
  void holdsKeepAwakeExactlyWhileTheCycleRuns() throws Exception {
    KeepAwakeCycleRunner runner = wrap(ctx -> heldDuringCycle.add(keepAwake.heldNow()));

    runner.runCycle(cycle("cycle-1"));
    runner.runCycle(cycle("cycle-2"));

    assertThat(heldDuringCycle).containsExactly(1, 1);
    assertThat(keepAwake.heldNow()).isZero();
    assertThat(keepAwake.reasons)
        .containsExactly("Overnight nightly: cycle-1", "Overnight nightly: cycle-2");
  }

  @Test
  void aFailingCycleReleasesKeepAwakeAndKeepsItsException() {
    KeepAwakeCycleRunner runner =
        wrap(
            ctx -> {
              throw new IllegalStateException("agent crashed");
            });

    assertThatThrownBy(() -> runner.runCycle(cycle("cycle-1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("agent crashed");
    assertThat(keepAwake.heldNow()).isZero();
  }

  @Test
  void closingDuringACycleReleasesAtOnceAndOnlyOnce() throws Exception {
    KeepAwakeCycleRunner[] self = new KeepAwakeCycleRunner[1];
    self[0] =
        wrap(
            ctx -> {
              self[0].close(); // the scheduler stops while the cycle still runs
              heldDuringCycle.add(keepAwake.heldNow());
            });

    self[0].runCycle(cycle("cycle-1"));

    assertThat(heldDuringCycle).containsExactly(0);
    assertThat(keepAwake.releases).isEqualTo(1);
  }

  @Test
  void aClosedRunnerStillRunsCyclesButKeepsNothingAwake() throws Exception {
    KeepAwakeCycleRunner runner = wrap(ctx -> heldDuringCycle.add(keepAwake.heldNow()));
    runner.close();

    runner.runCycle(cycle("cycle-1"));

    assertThat(heldDuringCycle).containsExactly(0);
    assertThat(keepAwake.reasons).isEmpty();
  }

  @Test
  void aKeepAwakeThatCannotBeAcquiredDoesNotCostTheCycle() throws Exception {
    keepAwake.failing = true;
    KeepAwakeCycleRunner runner = wrap(ctx -> heldDuringCycle.add(keepAwake.heldNow()));

    runner.runCycle(cycle("cycle-1"));

    assertThat(heldDuringCycle).containsExactly(0);
  }

  private KeepAwakeCycleRunner wrap(CycleRunner delegate) {
    return new KeepAwakeCycleRunner(delegate, keepAwake, "nightly", false);
  }

  private static RunningCycle cycle(String id) {
    return new RunningCycle(id, T, T, T.plusSeconds(1800), false);
  }

  /** Counts holds taken and released; not thread-safe (the tests run on one thread). */
  private static final class CountingKeepAwake implements KeepAwake {
    final List<String> reasons = new ArrayList<>();
    int acquired;
    int releases;
    boolean failing;

    @Override
    public Handle acquire(String reason) {
      if (failing) {
        throw new IllegalStateException("no power management here");
      }
      reasons.add(reason);
      acquired++;
      return new Handle() {
        @Override
        public boolean held() {
          return true;
        }

        @Override
        public void close() {
          releases++;
        }
      };
    }

    @Override
    public String describe() {
      return "counting (test)";
    }

    int heldNow() {
      return acquired - releases;
    }
  }
}
