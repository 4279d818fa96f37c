package dev.overnight.cli.e2e;

import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerListener;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.CoordinatorListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Everything a night said, in order: coordinator events, session updates and scheduler events; and
 * a way for the test thread to wait until something has been said. Waiting is on a monitor the
 * recording threads notify, never a sleep; the timeout is only a safety net.
 */
final class Recorder implements CoordinatorListener, SchedulerListener, Consumer<SessionEvent> {
  /** How long any wait may take before the test fails: a safety net, far above real needs. */
  static final Duration SAFETY_NET = Duration.ofSeconds(60);

  private final List<Object> all = new ArrayList<>();

  @Override
  public void onEvent(CoordinatorEvent event) {
    add(event);
  }

  @Override
  public void onEvent(SchedulerEvent event) {
    add(event);
  }

  @Override
  public void accept(SessionEvent event) {
    add(event);
  }

  private synchronized void add(Object o) {
    all.add(o);
    notifyAll();
  }

  /** Every recorded item of a type, in order. */
  synchronized <T> List<T> all(Class<T> type) {
    return all.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** How many items of a type were recorded so far. */
  <T> int count(Class<T> type) {
    return all(type).size();
  }

  /** Waits for the {@code n}th (1-based) recorded item of a type that matches. */
  synchronized <T> T awaitNth(Class<T> type, int n, Predicate<? super T> matching) {
    long deadline = System.nanoTime() + SAFETY_NET.toNanos();
    while (true) {
      List<T> found =
          all.stream().filter(type::isInstance).map(type::cast).filter(matching).toList();
      if (found.size() >= n) {
        return found.get(n - 1);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "waited "
                + SAFETY_NET.toSeconds()
                + " s for "
                + type.getSimpleName()
                + " #"
                + n
                + "; recorded: "
                + summary());
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Waits for the {@code n}th recorded item of a type. */
  <T> T awaitNth(Class<T> type, int n) {
    return awaitNth(type, n, x -> true);
  }

  /** Waits for the first recorded item of a type that matches. */
  <T> T await(Class<T> type, Predicate<? super T> matching) {
    return awaitNth(type, 1, matching);
  }

  /** The first session update of a task's current session, once it arrives. */
  SessionEvent awaitUpdateOf(String sessionId) {
    return await(SessionEvent.class, e -> e.sessionId().equals(sessionId));
  }

  /** The coordinator events, one per line, for failure messages. */
  synchronized String summary() {
    StringBuilder sb = new StringBuilder();
    for (Object o : all) {
      if (!(o instanceof SessionEvent)) {
        sb.append("\n  ").append(o);
      }
    }
    return sb.toString();
  }
}
