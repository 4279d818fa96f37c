package dev.overnight.acp.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's update stream: every item, in order, to every subscriber, buffered without bound per
 * subscriber so the agent's reader never waits.
 *
 * <p>Items published before anybody subscribed (the updates an agent sends while a session starts)
 * are kept, up to a limit, for the first subscriber, so nothing is lost between {@code open} and
 * {@code subscribe}. Signals to one subscriber are serial (Reactive Streams rule 1.3), delivered on
 * the given executor. Written by hand because {@link java.util.concurrent.SubmissionPublisher}
 * bounds each buffer and then either blocks the publisher or drops items, and neither is acceptable
 * here.
 *
 * @param <T> the item type
 */
final class UpdateStream<T> implements Flow.Publisher<T> {
  private static final Logger LOG = LoggerFactory.getLogger(UpdateStream.class);

  private final Executor executor;
  private final int earlyLimit;
  private final List<Sub> subscribers = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  // Written under lock; set to null (for good) when the first subscriber takes its items.
  private volatile ArrayDeque<T> early = new ArrayDeque<>();
  // Guarded by lock.
  private long earlyDropped;
  private boolean done;
  private Throwable error;

  UpdateStream(Executor executor, int earlyLimit) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.earlyLimit = earlyLimit;
  }

  /** Publishes one item to every subscriber. Never blocks. */
  void publish(T item) {
    List<Sub> subs = subscribers;
    if (early != null) {
      synchronized (lock) {
        if (done) {
          return;
        }
        ArrayDeque<T> held = early;
        if (held != null) {
          if (held.size() >= earlyLimit) {
            held.removeFirst();
            earlyDropped++;
          }
          held.addLast(item);
          return;
        }
      }
    }
    for (Sub s : subs) {
      s.offer(item);
    }
  }

  /** Ends the stream normally. Idempotent. */
  void complete() {
    terminate(null);
  }

  /** Ends the stream with an error. Idempotent; the first end wins. */
  void fail(Throwable cause) {
    terminate(cause);
  }

  private void terminate(Throwable cause) {
    synchronized (lock) {
      if (done) {
        return;
      }
      done = true;
      error = cause;
    }
    for (Sub s : subscribers) {
      s.end(cause);
    }
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    Sub sub = new Sub(subscriber);
    boolean ended;
    Throwable cause;
    synchronized (lock) {
      ArrayDeque<T> held = early;
      if (held != null) {
        sub.queue.addAll(held);
        if (earlyDropped > 0) {
          LOG.warn(
              "{} early session updates were dropped before the first subscriber arrived",
              earlyDropped);
        }
      }
      // Added before early is cleared, so a publisher that sees no early buffer sees this one.
      subscribers.add(sub);
      early = null;
      ended = done;
      cause = error;
    }
    sub.start();
    if (ended) {
      sub.end(cause);
    }
  }

  private final class Sub implements Flow.Subscription, Runnable {
    final Flow.Subscriber<? super T> subscriber;
    final Queue<T> queue = new ConcurrentLinkedQueue<>();
    final AtomicLong demand = new AtomicLong();
    final AtomicInteger wip = new AtomicInteger();
    volatile boolean started;
    volatile boolean cancelled;
    volatile boolean ended;
    volatile Throwable endCause;
    volatile IllegalArgumentException badRequest;
    boolean terminated;

    Sub(Flow.Subscriber<? super T> subscriber) {
      this.subscriber = subscriber;
    }

    void start() {
      // onSubscribe goes through the drain loop so it is serial with everything else.
      drain();
    }

    void offer(T item) {
      if (!cancelled) {
        queue.offer(item);
        drain();
      }
    }

    void end(Throwable cause) {
      endCause = cause;
      ended = true;
      drain();
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        subscribers.remove(this);
        queue.clear();
        badRequest =
            new IllegalArgumentException("request(" + n + "): must be positive (rule 3.9)");
        drain();
        return;
      }
      demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      drain();
    }

    @Override
    public void cancel() {
      cancelled = true;
      subscribers.remove(this);
      queue.clear();
    }

    private void drain() {
      if (wip.getAndIncrement() == 0) {
        try {
          executor.execute(this);
        } catch (RejectedExecutionException e) {
          // The session is shutting down: deliver on the caller rather than lose the end.
          run();
        }
      }
    }

    @Override
    public void run() {
      int missed = 1;
      while (true) {
        if (!started) {
          started = true;
          try {
            subscriber.onSubscribe(this);
          } catch (RuntimeException e) {
            LOG.warn("An update subscriber failed in onSubscribe", e);
            cancel();
          }
        }
        if (!terminated && badRequest != null) {
          terminated = true;
          cancelled = true;
          try {
            subscriber.onError(badRequest);
          } catch (RuntimeException e) {
            LOG.warn("An update subscriber failed in onError", e);
          }
        }
        if (!terminated) {
          long delivered = 0;
          long wanted = demand.get();
          while (!cancelled && delivered < wanted) {
            T item = queue.poll();
            if (item == null) {
              break;
            }
            try {
              subscriber.onNext(item);
            } catch (RuntimeException e) {
              LOG.warn("An update subscriber failed in onNext; it is cancelled", e);
              cancel();
              break;
            }
            delivered++;
          }
          if (delivered > 0 && wanted != Long.MAX_VALUE) {
            demand.addAndGet(-delivered);
          }
          if (ended && queue.isEmpty() && !cancelled) {
            terminated = true;
            try {
              if (endCause == null) {
                subscriber.onComplete();
              } else {
                subscriber.onError(endCause);
              }
            } catch (RuntimeException e) {
              LOG.warn("An update subscriber failed in onComplete/onError", e);
            }
          }
        }
        missed = wip.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    }
  }
}
