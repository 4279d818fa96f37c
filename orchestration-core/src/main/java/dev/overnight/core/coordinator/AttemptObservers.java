package dev.overnight.core.coordinator;

import dev.overnight.api.Subscription;
import dev.overnight.api.agent.AgentOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's {@link AttemptObserver}s as one: each attempt is shown to every observer
 * subscribed when it starts, and an observer that throws is logged and left out of that call only.
 * Thread-safe.
 */
final class AttemptObservers {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptObservers.class);

  private final List<AttemptObserver> observers = new CopyOnWriteArrayList<>();

  Subscription subscribe(AttemptObserver observer) {
    Objects.requireNonNull(observer, "observer");
    // A wrapper of its own, so one observer subscribed twice is removed once per close.
    AttemptObserver own = observer::attemptStarted;
    observers.add(own);
    AtomicBoolean live = new AtomicBoolean(true);
    return () -> {
      if (live.compareAndSet(true, false)) {
        observers.remove(own);
      }
    };
  }

  AttemptObserver.Attempt start(AttemptObserver.Start start) {
    if (observers.isEmpty()) {
      return AttemptObserver.Attempt.NONE;
    }
    List<AttemptObserver.Attempt> attempts = new ArrayList<>();
    for (AttemptObserver o : observers) {
      AttemptObserver.Attempt a = safely("attemptStarted", () -> o.attemptStarted(start));
      if (a != null && a != AttemptObserver.Attempt.NONE) {
        attempts.add(a);
      }
    }
    return attempts.isEmpty() ? AttemptObserver.Attempt.NONE : new All(List.copyOf(attempts));
  }

  private static <T> T safely(String what, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      LOG.warn("An attempt observer failed in {}; ignored", what, e);
      return null;
    }
  }

  private static <T> void each(List<T> targets, String what, Consumer<T> call) {
    for (T t : targets) {
      safely(
          what,
          () -> {
            call.accept(t);
            return null;
          });
    }
  }

  private static <T, R> List<R> map(List<T> targets, String what, Function<T, R> call) {
    List<R> out = new ArrayList<>();
    for (T t : targets) {
      R r = safely(what, () -> call.apply(t));
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  private record All(List<AttemptObserver.Attempt> attempts) implements AttemptObserver.Attempt {
    @Override
    public Map<String, String> agentEnvironment() {
      Map<String, String> env = new LinkedHashMap<>();
      map(attempts, "agentEnvironment", AttemptObserver.Attempt::agentEnvironment)
          .forEach(env::putAll);
      return env;
    }

    @Override
    public AttemptObserver.TurnWatch turnStarted(AttemptObserver.Turn turn) {
      List<AttemptObserver.TurnWatch> turns =
          map(attempts, "turnStarted", a -> a.turnStarted(turn));
      return new AllTurns(List.copyOf(turns));
    }

    @Override
    public void gateChecked(Instant at, GateResult result) {
      each(attempts, "gateChecked", a -> a.gateChecked(at, result));
    }

    @Override
    public void ended(AttemptObserver.End end) {
      each(attempts, "ended", a -> a.ended(end));
    }

    @Override
    public void failed(Instant at, Throwable error) {
      each(attempts, "failed", a -> a.failed(at, error));
    }
  }

  private record AllTurns(List<AttemptObserver.TurnWatch> turns)
      implements AttemptObserver.TurnWatch {
    @Override
    public void ended(Instant at, AgentOutcome outcome) {
      each(turns, "turn ended", t -> t.ended(at, outcome));
    }

    @Override
    public void failed(Instant at, Throwable error) {
      each(turns, "turn failed", t -> t.failed(at, error));
    }
  }
}
