package dev.overnight.core.hub;

import dev.overnight.api.Subscription;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.queue.TaskId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every agent session's updates meet their audience: the daemon's WebSocket bridge, the
 * dashboard, reports, tests.
 *
 * <ul>
 *   <li><b>Publish</b> updates of a registered session ({@link #publish(String, SessionUpdate)}
 *       numbers and timestamps them), ready-made {@link SessionEvent}s, or {@link #connect} an
 *       {@link AgentSession} to forward its whole stream.
 *   <li><b>Subscribe</b> to every session or to one. A late subscriber first receives the last
 *       {@code replayPerSession} events of each session it covers (and the end of sessions that
 *       ended), then live events, with nothing lost or repeated in between.
 *   <li><b>Never block an agent.</b> Publishing only appends the item to the bounded buffer of
 *       every subscriber it concerns; a few delivery workers empty the buffers into the
 *       subscribers. A subscriber that falls behind loses its oldest items and sees a {@link
 *       HubItem.Gap} saying how many; a stalled one keeps only the worker it holds, which is
 *       replaced.
 *   <li><b>Mapping.</b> Which agent works in which session for which task: {@link #session}, {@link
 *       #sessionsOf(TaskId)}, {@link #sessions()}.
 * </ul>
 *
 * <p>Thread-safe. Time comes from the {@link InstantSource} given to the builder; the hub never
 * reads the system clock. {@link #close()} stops delivery and ends the hub's threads (a subscriber
 * blocked in its own code is interrupted, and its thread ends when it returns).
 *
 * @since 0.1.0
 */
public final class SessionUpdateHub implements SessionStream, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionUpdateHub.class);
  private static final AtomicInteger HUBS = new AtomicInteger();

  private final InstantSource clock;
  private final int replayPerSession;
  private final int subscriberBuffer;
  private final int retainEndedSessions;
  private final ThreadFactory threads;

  private final Object lock = new Object();
  // Guarded by lock.
  private final Map<String, SessionState> sessions = new LinkedHashMap<>();
  private final ArrayDeque<String> ended = new ArrayDeque<>();
  private long ordinal;
  private boolean closed;

  private final List<Sub> allSubscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Delivery delivery = new Delivery();

  /** An item on its way to the subscribers, with its place in the hub's total order. */
  private record Dispatch(long ordinal, SessionState session, HubItem item) {}

  private SessionUpdateHub(Builder b) {
    this.clock = b.clock;
    this.replayPerSession = b.replayPerSession;
    this.subscriberBuffer = b.subscriberBuffer;
    this.retainEndedSessions = b.retainEndedSessions;
    this.threads = b.threads != null ? b.threads : new HubThreads();
    this.delivery.start(b.deliveryThreads);
  }

  /** Starts a hub builder; every reading of time goes through {@code clock}. */
  public static Builder builder(InstantSource clock) {
    return new Builder(clock);
  }

  /**
   * Registers a session so that {@link #publish(String, SessionUpdate)} can number its updates.
   * Registering a known session again updates nothing and is harmless.
   */
  public void register(String sessionId, String agentId, Optional<TaskId> taskId) {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(taskId, "taskId");
    synchronized (lock) {
      stateFor(sessionId, agentId, taskId, clock.instant());
    }
  }

  /**
   * Publishes an update of a registered session: it gets the session's next sequence number and the
   * clock's current instant. Never blocks on subscribers.
   *
   * @return the event as published
   * @throws IllegalStateException if the session was never registered or has ended
   */
  public SessionEvent publish(String sessionId, SessionUpdate update) {
    Objects.requireNonNull(update, "update");
    synchronized (lock) {
      SessionState s = sessions.get(sessionId);
      if (s == null || s.placeholder) {
        throw new IllegalStateException("session " + sessionId + " is not registered");
      }
      if (s.endedAt != null) {
        throw new IllegalStateException("session " + sessionId + " has ended");
      }
      SessionEvent event =
          new SessionEvent(
              s.sessionId, s.agentId, s.taskId, s.lastSequence + 1, clock.instant(), update);
      append(s, event);
      return event;
    }
  }

  /**
   * Publishes a ready-made event, registering its session from the envelope if needed. Sequence
   * numbers are taken as they come. Never blocks on subscribers.
   */
  public void publish(SessionEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (lock) {
      SessionState s = stateFor(event.sessionId(), event.agentId(), event.taskId(), event.at());
      append(s, event);
    }
  }

  /** Marks a session as ended; subscribers receive {@link HubItem.Ended}. Idempotent. */
  public void end(String sessionId) {
    synchronized (lock) {
      SessionState s = sessions.get(sessionId);
      if (s == null || s.placeholder || s.endedAt != null) {
        return;
      }
      s.endedAt = clock.instant();
      s.endOrdinal = ++ordinal;
      dispatch(new Dispatch(s.endOrdinal, s, new HubItem.Ended(s.snapshot())));
      ended.addLast(sessionId);
      while (ended.size() > retainEndedSessions) {
        sessions.remove(ended.removeFirst());
      }
    }
  }

  /**
   * Forwards every update of an agent session into the hub, registering it first; the session's end
   * (normal or not) ends it here too.
   *
   * @return a handle that stops the forwarding (the session is then ended in the hub)
   */
  public Subscription connect(AgentSession session, Optional<TaskId> taskId) {
    String id = session.sessionId();
    register(id, session.agentId(), taskId);
    AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    session
        .updates()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(SessionUpdate update) {
                if (!done.get()) {
                  publishQuietly(id, update);
                }
              }

              @Override
              public void onError(Throwable error) {
                finish();
              }

              @Override
              public void onComplete() {
                finish();
              }

              private void finish() {
                if (done.compareAndSet(false, true)) {
                  end(id);
                }
              }
            });
    return () -> {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      Flow.Subscription s = subscription.get();
      if (s != null) {
        s.cancel();
      }
      end(id);
    };
  }

  /**
   * Subscribes to every session: first the retained events of every known session (oldest first),
   * then everything published from now on.
   */
  @Override
  public HubSubscription subscribe(HubSubscriber subscriber) {
    return subscribe(null, subscriber);
  }

  /** Subscribes to one session: its retained events first, then its live ones. */
  @Override
  public HubSubscription subscribe(String sessionId, HubSubscriber subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    Sub sub;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the hub is closed");
      }
      // Everything up to this ordinal comes from the replay; publishing sends the rest.
      sub = new Sub(sessionId, subscriber, ordinal);
      List<Retained> replay = new ArrayList<>();
      for (SessionState s : sessions.values()) {
        if (sessionId == null || sessionId.equals(s.sessionId)) {
          replay.addAll(s.recent);
          if (s.endedAt != null) {
            replay.add(new Retained(s.endOrdinal, new HubItem.Ended(s.snapshot())));
          }
        }
      }
      replay.sort(Comparator.comparingLong(Retained::ordinal));
      for (Retained r : replay) {
        sub.offer(r.item);
      }
      if (sessionId == null) {
        allSubscribers.add(sub);
      } else {
        SessionState s = sessions.get(sessionId);
        if (s == null) {
          s = new SessionState(sessionId, "", Optional.empty(), clock.instant());
          s.placeholder = true;
          sessions.put(sessionId, s);
        }
        s.subscribers.add(sub);
      }
    }
    return sub;
  }

  @Override
  public int subscriberCount() {
    int count = allSubscribers.size();
    synchronized (lock) {
      for (SessionState s : sessions.values()) {
        count += s.subscribers.size();
      }
    }
    return count;
  }

  @Override
  public long droppedCount() {
    return dropped.get();
  }

  /** The session, if the hub knows it (ended sessions are kept for a while). */
  @Override
  public Optional<HubSession> session(String sessionId) {
    synchronized (lock) {
      SessionState s = sessions.get(sessionId);
      return s == null || s.placeholder ? Optional.empty() : Optional.of(s.snapshot());
    }
  }

  /** Every known session, in the order the hub first heard of them. */
  @Override
  public List<HubSession> sessions() {
    synchronized (lock) {
      List<HubSession> out = new ArrayList<>();
      for (SessionState s : sessions.values()) {
        if (!s.placeholder) {
          out.add(s.snapshot());
        }
      }
      return out;
    }
  }

  /** The sessions that worked on a task, oldest first. */
  @Override
  public List<HubSession> sessionsOf(TaskId taskId) {
    Objects.requireNonNull(taskId, "taskId");
    List<HubSession> out = new ArrayList<>();
    for (HubSession s : sessions()) {
      if (s.taskId().filter(taskId::equals).isPresent()) {
        out.add(s);
      }
    }
    return out;
  }

  /** The events the hub still holds for a session (at most {@code replayPerSession}). */
  @Override
  public List<SessionEvent> recent(String sessionId) {
    synchronized (lock) {
      SessionState s = sessions.get(sessionId);
      List<SessionEvent> out = new ArrayList<>();
      if (s != null) {
        for (Retained r : s.recent) {
          out.add(((HubItem.Event) r.item).event());
        }
      }
      return out;
    }
  }

  /**
   * Stops delivery: subscribers receive nothing more and the hub's threads end. Idempotent;
   * publishing afterwards is ignored.
   */
  @Override
  public void close() {
    List<Sub> subs = new ArrayList<>(allSubscribers);
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      for (SessionState s : sessions.values()) {
        subs.addAll(s.subscribers);
      }
    }
    for (Sub s : subs) {
      s.close();
    }
    delivery.stop();
  }

  private static void join(Thread t) {
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    try {
      // A subscriber stuck in its own code may not return at all: do not wait for it forever.
      t.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void publishQuietly(String sessionId, SessionUpdate update) {
    try {
      publish(sessionId, update);
    } catch (IllegalStateException e) {
      LOG.debug("Dropping an update for session {}: {}", sessionId, e.getMessage());
    }
  }

  // Called with lock held. A placeholder (somebody subscribed before the session was known)
  // becomes the real session and keeps its subscribers.
  private SessionState stateFor(
      String sessionId, String agentId, Optional<TaskId> taskId, Instant at) {
    SessionState s = sessions.get(sessionId);
    if (s != null && !s.placeholder) {
      return s;
    }
    SessionState real = new SessionState(sessionId, agentId, taskId, at);
    if (s != null) {
      real.subscribers.addAll(s.subscribers);
    }
    sessions.put(sessionId, real);
    return real;
  }

  // Called with lock held.
  private void append(SessionState s, SessionEvent event) {
    if (closed) {
      return;
    }
    s.lastSequence = Math.max(s.lastSequence, event.sequence());
    HubItem item = new HubItem.Event(event);
    long n = ++ordinal;
    if (replayPerSession > 0) {
      s.recent.addLast(new Retained(n, item));
      while (s.recent.size() > replayPerSession) {
        s.recent.removeFirst();
      }
    }
    dispatch(new Dispatch(n, s, item));
  }

  // Called with lock held: a few appends per subscriber, so the publisher's cost stays bounded
  // and every subscriber sees one session's events in publishing order. A worker is woken only if
  // one is idle; it then empties many subscribers' buffers in one go.
  private void dispatch(Dispatch d) {
    if (closed) {
      return;
    }
    for (Sub sub : allSubscribers) {
      sub.offerLive(d);
    }
    for (Sub sub : d.session.subscribers) {
      sub.offerLive(d);
    }
  }

  private void remove(Sub sub) {
    synchronized (lock) {
      if (sub.sessionId == null) {
        allSubscribers.remove(sub);
      } else {
        SessionState s = sessions.get(sub.sessionId);
        if (s != null) {
          s.subscribers.remove(sub);
        }
      }
    }
  }

  private record Retained(long ordinal, HubItem item) {}

  private static final class SessionState {
    final String sessionId;
    final String agentId;
    final Optional<TaskId> taskId;
    final Instant startedAt;
    final ArrayDeque<Retained> recent = new ArrayDeque<>();
    final List<Sub> subscribers = new CopyOnWriteArrayList<>();
    Instant endedAt;
    long endOrdinal;
    long lastSequence;
    // A session somebody subscribed to before it was registered.
    boolean placeholder;

    SessionState(String sessionId, String agentId, Optional<TaskId> taskId, Instant startedAt) {
      this.sessionId = sessionId;
      this.agentId = agentId;
      this.taskId = taskId;
      this.startedAt = startedAt;
    }

    HubSession snapshot() {
      return new HubSession(
          sessionId, agentId, taskId, startedAt, Optional.ofNullable(endedAt), lastSequence);
    }
  }

  /**
   * One subscriber: a bounded buffer, emptied into the subscriber by whichever delivery worker
   * takes it up; never by two at once, so its items arrive one at a time and in order.
   */
  private final class Sub implements HubSubscription {
    final String sessionId;
    final HubSubscriber subscriber;
    final long fromOrdinal;
    // Guarded by this.
    private final ArrayDeque<HubItem> buffer = new ArrayDeque<>();
    private long droppedBeforeHead;
    private long droppedTotal;
    private boolean scheduled;
    private volatile boolean cancelled;

    Sub(String sessionId, HubSubscriber subscriber, long fromOrdinal) {
      this.sessionId = sessionId;
      this.subscriber = subscriber;
      this.fromOrdinal = fromOrdinal;
    }

    /** A live item: only those the replay did not already cover. */
    void offerLive(Dispatch d) {
      if (d.ordinal > fromOrdinal) {
        offer(d.item);
      }
    }

    void offer(HubItem item) {
      synchronized (this) {
        if (cancelled) {
          return;
        }
        if (buffer.size() >= subscriberBuffer) {
          buffer.removeFirst();
          droppedBeforeHead++;
          droppedTotal++;
          dropped.incrementAndGet();
        }
        buffer.addLast(item);
        if (scheduled) {
          return;
        }
        scheduled = true;
      }
      delivery.schedule(this);
    }

    /**
     * Delivers up to {@code max} items on the calling worker, then gives the worker back; if items
     * remain the subscriber queues up again behind the others.
     */
    void drain(Worker worker, int max) {
      for (int i = 0; i < max; i++) {
        HubItem next;
        long gap;
        synchronized (this) {
          next = cancelled ? null : buffer.pollFirst();
          if (next == null) {
            scheduled = false;
            return;
          }
          gap = droppedBeforeHead;
          droppedBeforeHead = 0;
        }
        if (gap > 0) {
          deliver(new HubItem.Gap(gap));
        }
        deliver(next);
        worker.deliveries++;
      }
      delivery.schedule(this);
    }

    private void deliver(HubItem item) {
      try {
        subscriber.onItem(item);
      } catch (RuntimeException e) {
        LOG.warn("A hub subscriber failed on {}; it keeps receiving", item, e);
      }
    }

    @Override
    public void close() {
      synchronized (this) {
        if (cancelled) {
          return;
        }
        cancelled = true;
        buffer.clear();
      }
      remove(this);
    }

    @Override
    public synchronized long dropped() {
      return droppedTotal;
    }

    @Override
    public synchronized int buffered() {
      return buffer.size();
    }
  }

  /** A delivery thread. */
  private static final class Worker {
    Thread thread;
    volatile boolean busy;
    // Written by the worker only; read by the watchdog.
    volatile long deliveries;
    // Guarded by the delivery lock.
    boolean detached;
    long lastSeen;
    int strikes;
  }

  /**
   * A few delivery workers (by default as many as processors) serving the subscribers that have
   * something to deliver. Handing a subscriber to a busy pool costs a queue append, not a thread
   * wake-up per item, which is what keeps latency low with a hundred subscribers on two cores.
   *
   * <p>A subscriber that blocks in its own code holds its worker; a watchdog notices a worker that
   * made no progress over two ticks, detaches it (it ends once the subscriber returns) and starts a
   * replacement, so the others keep being served. The watchdog counts ticks of a timed wait rather
   * than reading a clock.
   */
  private final class Delivery {
    private static final long TICK_MILLIS = 25;
    private static final int BATCH = 256;

    private final Object monitor = new Object();
    // The watchdog's own: a notify meant for an idle worker must never wake the watchdog instead.
    private final Object tick = new Object();
    // Guarded by monitor.
    private final ArrayDeque<Sub> ready = new ArrayDeque<>();
    private final List<Worker> workers = new ArrayList<>();
    private int idle;
    private boolean stopped;
    private Thread watchdog;
    // Workers inside a subscriber's code. The watchdog only ticks while this is above zero, so an
    // idle hub costs no CPU at all.
    private final java.util.concurrent.atomic.AtomicInteger busy =
        new java.util.concurrent.atomic.AtomicInteger();

    void start(int size) {
      synchronized (monitor) {
        for (int i = 0; i < size; i++) {
          spawn();
        }
      }
      watchdog = threads.newThread(this::watch);
      watchdog.start();
    }

    void schedule(Sub sub) {
      synchronized (monitor) {
        if (stopped) {
          return;
        }
        ready.addLast(sub);
        if (idle > 0) {
          monitor.notify();
        }
      }
    }

    // Called with monitor held.
    private void spawn() {
      Worker w = new Worker();
      w.thread = threads.newThread(() -> work(w));
      workers.add(w);
      w.thread.start();
    }

    private void work(Worker w) {
      while (true) {
        Sub sub;
        synchronized (monitor) {
          while (ready.isEmpty() && !stopped && !w.detached) {
            idle++;
            try {
              monitor.wait();
            } catch (InterruptedException e) {
              return;
            } finally {
              idle--;
            }
          }
          if (stopped || w.detached) {
            workers.remove(w);
            return;
          }
          sub = ready.pollFirst();
        }
        w.busy = true;
        if (busy.getAndIncrement() == 0) {
          synchronized (tick) {
            tick.notifyAll();
          }
        }
        try {
          sub.drain(w, BATCH);
        } finally {
          w.busy = false;
          busy.decrementAndGet();
        }
      }
    }

    private void watch() {
      while (true) {
        synchronized (tick) {
          try {
            while (busy.get() == 0) {
              tick.wait();
            }
            tick.wait(TICK_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
        synchronized (monitor) {
          if (stopped) {
            return;
          }
          for (Worker w : new ArrayList<>(workers)) {
            if (w.detached) {
              continue;
            }
            long seen = w.deliveries;
            if (w.busy && seen == w.lastSeen) {
              if (++w.strikes >= 2) {
                w.detached = true;
                LOG.debug("A hub subscriber is stalled; its worker is replaced");
                spawn();
              }
            } else {
              w.strikes = 0;
            }
            w.lastSeen = seen;
          }
        }
      }
    }

    void stop() {
      List<Thread> all = new ArrayList<>();
      synchronized (monitor) {
        stopped = true;
        ready.clear();
        monitor.notifyAll();
        for (Worker w : workers) {
          all.add(w.thread);
        }
      }
      if (watchdog != null) {
        watchdog.interrupt();
        all.add(watchdog);
      }
      for (Thread t : all) {
        // A worker stuck in a subscriber's code is interrupted; it ends when that code returns.
        t.interrupt();
        join(t);
      }
    }
  }

  private static final class HubThreads implements ThreadFactory {
    private final int hub = HUBS.incrementAndGet();
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "overnight-hub-" + hub + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }

  /** Configures a {@link SessionUpdateHub}. Not thread-safe. */
  public static final class Builder {
    private final InstantSource clock;
    private int replayPerSession = 200;
    private int subscriberBuffer = 1024;
    private int retainEndedSessions = 100;
    private ThreadFactory threads;
    private int deliveryThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

    private Builder(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** How many recent events of each session a late subscriber receives (default 200). */
    public Builder replayPerSession(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("replayPerSession must be >= 0: " + value);
      }
      replayPerSession = value;
      return this;
    }

    /** How many items a subscriber may fall behind before its oldest are dropped (default 1024). */
    public Builder subscriberBuffer(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("subscriberBuffer must be >= 1: " + value);
      }
      subscriberBuffer = value;
      return this;
    }

    /** How many ended sessions (and their recent events) are kept for late subscribers. */
    public Builder retainEndedSessions(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("retainEndedSessions must be >= 0: " + value);
      }
      retainEndedSessions = value;
      return this;
    }

    /**
     * How many threads deliver to subscribers (default: the number of processors, at least 2). A
     * stalled subscriber's thread is replaced, so this is the number of working threads.
     */
    public Builder deliveryThreads(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("deliveryThreads must be >= 1: " + value);
      }
      deliveryThreads = value;
      return this;
    }

    /**
     * Makes the hub's threads (the delivery workers and their watchdog) with this factory instead
     * of daemon threads named {@code overnight-hub-N-K}.
     */
    public Builder threadFactory(ThreadFactory value) {
      threads = Objects.requireNonNull(value, "threads");
      return this;
    }

    /** Builds the hub; its delivery threads start now. */
    public SessionUpdateHub build() {
      return new SessionUpdateHub(this);
    }
  }
}
