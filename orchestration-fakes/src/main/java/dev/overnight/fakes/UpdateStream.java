package dev.overnight.fakes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/**
 * A fake session's update stream: every item, in order, to every subscriber, delivered on the
 * thread that publishes it (or that subscribes or requests, for items already waiting), so a test
 * knows an update has been seen once the call that made it returns.
 *
 * <p>Like the ACP session's stream, items published before anybody subscribed are kept for the
 * first subscriber, later subscribers get the items published after they subscribed, and each
 * subscriber's items wait without bound until it requests them. Signals to one subscriber never
 * overlap (Reactive Streams §1.3), also when it requests from inside {@code onNext}.
 *
 * @param <T> the item type
 */
final class UpdateStream<T> implements Flow.Publisher<T> {
  private final Object lock = new Object();
  private final List<Sub> subscribers = new CopyOnWriteArrayList<>();
  // Guarded by lock; null once the first subscriber took the early items.
  private List<T> early = new ArrayList<>();
  private boolean done;
  private Throwable error;

  /** Publishes one item to every subscriber. */
  void publish(T item) {
    synchronized (lock) {
      if (done) {
        return;
      }
      if (early != null) {
        early.add(item);
        return;
      }
      subscribers.forEach(s -> s.offer(item));
    }
    subscribers.forEach(Sub::drain);
  }

  /** Ends the stream; {@code cause} is null for a normal end. Idempotent: the first end wins. */
  void end(Throwable cause) {
    synchronized (lock) {
      if (done) {
        return;
      }
      done = true;
      error = cause;
      subscribers.forEach(s -> s.end(cause));
    }
    subscribers.forEach(Sub::drain);
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    Sub sub = new Sub(subscriber);
    synchronized (lock) {
      if (early != null) {
        early.forEach(sub::offer);
        early = null;
      }
      if (done) {
        sub.end(error);
      } else {
        subscribers.add(sub);
      }
    }
    subscriber.onSubscribe(sub);
    sub.drain();
  }

  private final class Sub implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    // All guarded by this.
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private long demand;
    private boolean ended;
    private Throwable endCause;
    private boolean cancelled;
    private boolean finished;
    private boolean draining;
    private IllegalArgumentException badRequest;

    Sub(Flow.Subscriber<? super T> subscriber) {
      this.subscriber = subscriber;
    }

    synchronized void offer(T item) {
      if (!cancelled) {
        queue.addLast(item);
      }
    }

    synchronized void end(Throwable cause) {
      if (!ended) {
        ended = true;
        endCause = cause;
      }
    }

    @Override
    public void request(long n) {
      synchronized (this) {
        if (n <= 0) {
          badRequest = new IllegalArgumentException("request(" + n + "): must be positive (§3.9)");
        } else {
          demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }
      }
      drain();
    }

    @Override
    public void cancel() {
      synchronized (this) {
        cancelled = true;
        queue.clear();
      }
      subscribers.remove(this);
    }

    /** Delivers what is due; a call made while another thread (or this one) delivers leaves it. */
    void drain() {
      synchronized (this) {
        if (draining) {
          return;
        }
        draining = true;
      }
      while (true) {
        T next = null;
        Throwable failure = null;
        boolean complete = false;
        synchronized (this) {
          if (cancelled || finished) {
            draining = false;
            return;
          }
          if (badRequest != null) {
            failure = badRequest;
            cancelled = true;
          } else if (!queue.isEmpty() && demand > 0) {
            next = queue.removeFirst();
            if (demand != Long.MAX_VALUE) {
              demand--;
            }
          } else if (queue.isEmpty() && ended) {
            finished = true;
            failure = endCause;
            complete = endCause == null;
          } else {
            draining = false;
            return;
          }
        }
        if (next != null) {
          try {
            subscriber.onNext(next);
          } catch (RuntimeException e) {
            // A subscriber that throws breaks the contract (§2.13): it is cancelled.
            cancel();
          }
        } else {
          subscribers.remove(this);
          if (complete) {
            subscriber.onComplete();
          } else {
            subscriber.onError(failure);
          }
        }
      }
    }
  }
}
