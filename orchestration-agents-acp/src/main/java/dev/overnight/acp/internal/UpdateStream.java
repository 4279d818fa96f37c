package dev.overnight.acp.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's update stream: every item, in order, to every subscriber, buffered without bound per
 * subscriber so the agent's reader never waits.
 *
 * <p>Each subscriber is served by a thread of its own (from the session's thread factory, so the
 * session can wait for it when it closes): handing every item to a pool instead costs a thread
 * hand-off per item, which dominated the reader's time. Items published before anybody subscribed
 * (the updates an agent sends while a session starts) are kept, up to a limit, for the first
 * subscriber, so nothing is lost between {@code open} and {@code subscribe}. Written by hand
 * because {@link java.util.concurrent.SubmissionPublisher} bounds each buffer and then either
 * blocks the publisher or drops items, and neither is acceptable here.
 *
 * @param <T> the item type
 */
final class UpdateStream<T> implements Flow.Publisher<T> {
  private static final Logger LOG = LoggerFactory.getLogger(UpdateStream.class);
  private static final int BATCH = 1024;

  private final ThreadFactory threads;
  private final int earlyLimit;
  private final List<Sub> subscribers = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  // Written under lock; set to null (for good) when the first subscriber takes its items.
  private volatile ArrayDeque<T> early = new ArrayDeque<>();
  // Guarded by lock.
  private long earlyDropped;
  private boolean done;
  private Throwable error;

  UpdateStream(ThreadFactory threads, int earlyLimit) {
    this.threads = Objects.requireNonNull(threads, "threads");
    this.earlyLimit = earlyLimit;
  }

  /** Publishes one item to every subscriber. Never blocks. */
  void publish(T item) {
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
    for (Sub s : subscribers) {
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
    if (ended) {
      sub.end(cause);
    }
    threads.newThread(sub).start();
  }

  private final class Sub implements Flow.Subscription, Runnable {
    final Flow.Subscriber<? super T> subscriber;
    // Guarded by this.
    final ArrayDeque<T> queue = new ArrayDeque<>();
    private long demand;
    private boolean waiting;
    private volatile boolean cancelled;
    private boolean ended;
    private Throwable endCause;
    private IllegalArgumentException badRequest;

    Sub(Flow.Subscriber<? super T> subscriber) {
      this.subscriber = subscriber;
    }

    synchronized void offer(T item) {
      if (cancelled) {
        return;
      }
      queue.addLast(item);
      if (waiting) {
        notify();
      }
    }

    synchronized void end(Throwable cause) {
      if (ended) {
        return;
      }
      ended = true;
      endCause = cause;
      if (waiting) {
        notify();
      }
    }

    @Override
    public synchronized void request(long n) {
      if (n <= 0) {
        badRequest = new IllegalArgumentException("request(" + n + "): must be positive (§3.9)");
      } else {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      }
      if (waiting) {
        notify();
      }
    }

    @Override
    public void cancel() {
      synchronized (this) {
        cancelled = true;
        queue.clear();
        if (waiting) {
          notify();
        }
      }
      subscribers.remove(this);
    }

    @Override
    public void run() {
      try {
        subscriber.onSubscribe(this);
      } catch (RuntimeException e) {
        LOG.warn("An update subscriber failed in onSubscribe; it is cancelled", e);
        cancel();
        return;
      }
      List<T> batch = new ArrayList<>();
      while (true) {
        Throwable failure = null;
        boolean complete = false;
        synchronized (this) {
          while (!cancelled
              && badRequest == null
              && (queue.isEmpty() || demand == 0)
              && !(ended && queue.isEmpty())) {
            waiting = true;
            try {
              wait();
            } catch (InterruptedException e) {
              cancelled = true;
            } finally {
              waiting = false;
            }
          }
          if (cancelled) {
            return;
          }
          if (badRequest != null) {
            cancelled = true;
            failure = badRequest;
          } else if (queue.isEmpty()) {
            complete = true;
            failure = endCause;
          } else {
            long take = Math.min(Math.min(demand, queue.size()), BATCH);
            for (long i = 0; i < take; i++) {
              batch.add(queue.removeFirst());
            }
            if (demand != Long.MAX_VALUE) {
              demand -= take;
            }
          }
        }
        if (failure != null || complete) {
          subscribers.remove(this);
          try {
            if (failure != null) {
              subscriber.onError(failure);
            } else {
              subscriber.onComplete();
            }
          } catch (RuntimeException e) {
            LOG.warn("An update subscriber failed in onComplete/onError", e);
          }
          return;
        }
        for (T item : batch) {
          if (cancelled) {
            return;
          }
          try {
            subscriber.onNext(item);
          } catch (RuntimeException e) {
            LOG.warn("An update subscriber failed in onNext; it is cancelled", e);
            cancel();
            return;
          }
        }
        batch.clear();
      }
    }
  }
}
