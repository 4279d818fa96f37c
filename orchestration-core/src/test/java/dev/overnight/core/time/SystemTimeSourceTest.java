package dev.overnight.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.Cancellable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real threads and the real clock; waits are on latches, never on time. */
class SystemTimeSourceTest {
  private final SystemTimeSource time = SystemTimeSource.create();

  @AfterEach
  void close() {
    time.close();
  }

  @Test
  void runsActionsInDueOrder() throws InterruptedException {
    List<String> order = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(3);
    Instant now = time.instant();
    time.schedule(now.plusMillis(30), () -> record(order, "c", done));
    time.schedule(now.plusMillis(10), () -> record(order, "a", done));
    time.schedule(now.plusMillis(20), () -> record(order, "b", done));
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(order).containsExactly("a", "b", "c");
  }

  @Test
  void anInstantInThePastRunsAtOnceAndNeverEarly() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(2);
    AtomicReference<Instant> ranAt = new AtomicReference<>();
    Instant due = time.instant().plusMillis(5);
    time.schedule(Instant.EPOCH, done::countDown);
    time.schedule(
        due,
        () -> {
          ranAt.set(time.instant());
          done.countDown();
        });
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ranAt.get()).isAfterOrEqualTo(due);
  }

  @Test
  void cancelledActionsNeverRun() throws InterruptedException {
    CountDownLatch later = new CountDownLatch(1);
    Cancellable cancelled =
        time.schedule(
            time.instant().plusMillis(5),
            () -> {
              throw new AssertionError("cancelled action ran");
            });
    assertThat(cancelled.cancel()).isTrue();
    assertThat(cancelled.cancel()).isFalse();
    time.schedule(time.instant().plusMillis(20), later::countDown);
    assertThat(later.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(time.pending()).isZero();
  }

  @Test
  void aFailingActionDoesNotStopTheTimer() throws InterruptedException {
    CountDownLatch after = new CountDownLatch(1);
    time.schedule(
        time.instant(),
        () -> {
          throw new IllegalStateException("boom (expected in this test)");
        });
    time.schedule(time.instant().plusMillis(1), after::countDown);
    assertThat(after.await(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aWallClockThatJumpsPastAWakeIsNoticedWithinTheCheckInterval() throws InterruptedException {
    MovableClock clock = new MovableClock(Instant.parse("2026-06-10T01:10:00Z"));
    try (SystemTimeSource sleepy =
        SystemTimeSource.create(clock, Duration.ofMillis(10), "test-timer")) {
      CountDownLatch fired = new CountDownLatch(1);
      sleepy.schedule(Instant.parse("2026-06-10T01:30:00Z"), fired::countDown);
      assertThat(fired.getCount()).isEqualTo(1);
      clock.set(Instant.parse("2026-06-10T03:10:00Z")); // the machine slept; monotonic time did not
      assertThat(fired.await(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void closingDropsWhatIsScheduled() {
    time.schedule(time.instant().plusSeconds(3600), () -> {});
    assertThat(time.pending()).isEqualTo(1);
    time.close();
    assertThat(time.pending()).isZero();
    assertThat(time.schedule(time.instant(), () -> {}).cancel()).isFalse();
  }

  @Test
  void readsTheClockItWasGiven() {
    Instant fixed = Instant.parse("2026-06-10T01:00:00Z");
    try (SystemTimeSource t =
        SystemTimeSource.create(
            Clock.fixed(fixed, java.time.ZoneOffset.UTC), Duration.ofSeconds(1), "t")) {
      assertThat(t.instant()).isEqualTo(fixed);
    }
  }

  private static void record(List<String> order, String name, CountDownLatch done) {
    order.add(name);
    done.countDown();
  }

  private static final class MovableClock implements InstantSource {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant t) {
      now = t;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
