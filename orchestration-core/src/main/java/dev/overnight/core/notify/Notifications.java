package dev.overnight.core.notify;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.notify.Attention;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationItem;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerListener;
import dev.overnight.core.conflict.SyncOutcome;
import dev.overnight.core.conflict.SyncResult;
import dev.overnight.core.coordinator.AttemptOutcome;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.CoordinatorListener;
import dev.overnight.core.notify.internal.NightWindow;
import dev.overnight.core.report.NightAlarm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people what the coordinator did: one message when a night ends, summarising every task it
 * ran, and one as soon as a task needs a human (the permission policy refused what its agent asked
 * and it did not finish; an agent is parked past the night's window; a task failed for good after
 * failing attempt after attempt). Listens to the coordinator's events.
 *
 * <p><b>Night alarms.</b> Given a source of the schedule's {@link NightAlarm}s, it also listens to
 * the scheduler: after a cycle ends or a wake is skipped it reads the alarms (on its sending
 * thread, one read for a burst of events) and tells each new one once, as a {@link
 * Attention#NIGHT_ALARM}; an alarm still raised a night later is the same alarm and is not told
 * again, across restarts too when what was told is kept in a file of the state folder.
 *
 * <p><b>The night.</b> A cycle that starts inside the schedule's window opens a night that ends
 * with the window: the cycles of one window make one message, sent when the window has closed and
 * no cycle runs (at the window's end on the runtime's {@link TimeSource}, or when the last cycle
 * ends after it). A cycle outside the window (run by hand), or on a schedule without a window, is a
 * night of its own. A night still open when Overnight closes is sent then.
 *
 * <p><b>Failures.</b> Each notifier is called on one sending thread of this class, in the config's
 * order; a notifier that fails (refused, an error status, no answer within its bounded time) is
 * logged at WARN and the others still get the message. Nothing here ever throws into a night.
 *
 * <p>Thread-safe: events may come from several coordinator threads at once; {@link #onEvent} never
 * blocks on a receiver. {@link #close()} waits a bounded time for what is queued.
 *
 * @since 0.1.0
 */
public final class Notifications implements CoordinatorListener, SchedulerListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

  /** How long {@link #close()} waits for queued messages: a few notifiers' bounded timeouts. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private final String configId;
  private final Schedule schedule;
  private final TimeSource time;
  private final List<ConfiguredNotifier> notifiers;
  private final ExecutorService sender;
  private final Supplier<List<NightAlarm>> alarms;
  private final AlarmMemory told; // used on the sender thread only
  private final AtomicBoolean alarmCheckQueued = new AtomicBoolean();

  private Night night; // guarded by this
  private int runningCycles; // guarded by this
  private Cancellable nightTimer = () -> false; // guarded by this
  private boolean closed; // guarded by this

  private Notifications(
      OrchestrationConfig config,
      TimeSource time,
      List<ConfiguredNotifier> all,
      Supplier<List<NightAlarm>> alarms,
      AlarmMemory told) {
    this.alarms = Objects.requireNonNull(alarms, "alarms");
    this.told = Objects.requireNonNull(told, "told");
    this.configId = config.id();
    this.schedule = config.schedule();
    this.time = Objects.requireNonNull(time, "time");
    this.notifiers = List.copyOf(all);
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "overnight-notifications");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Notifications of a configuration's nights through {@code notifiers}, its night ends timed on
   * {@code time}.
   */
  public static Notifications create(
      OrchestrationConfig config, TimeSource time, List<ConfiguredNotifier> notifiers) {
    return new Notifications(config, time, notifiers, List::of, new AlarmMemory());
  }

  /**
   * Notifications as {@link #create(OrchestrationConfig, TimeSource, List)} makes them, which also
   * tell each new night alarm {@code alarms} reads, once. {@code alarms} may block on a store; it
   * runs on the sending thread.
   */
  public static Notifications create(
      OrchestrationConfig config,
      TimeSource time,
      List<ConfiguredNotifier> notifiers,
      Supplier<List<NightAlarm>> alarms) {
    return new Notifications(config, time, notifiers, alarms, new AlarmMemory());
  }

  /**
   * Notifications as {@link #create(OrchestrationConfig, TimeSource, List, Supplier)} makes them,
   * which remember in {@code toldAlarms} which night alarms they told, so that an alarm still
   * raised after a restart is not told again. The file is read here, blocking, and replaced
   * atomically on the sending thread whenever a new alarm is told; one that cannot be read or
   * written is logged and the alarms are then remembered in memory only.
   */
  public static Notifications create(
      OrchestrationConfig config,
      TimeSource time,
      List<ConfiguredNotifier> notifiers,
      Supplier<List<NightAlarm>> alarms,
      Path toldAlarms) {
    return new Notifications(config, time, notifiers, alarms, new AlarmMemory(toldAlarms));
  }

  /** A cycle ended or a wake was skipped: the night alarms are read again, soon. */
  @Override
  public void onEvent(SchedulerEvent event) {
    if (!(event instanceof SchedulerEvent.CycleFinished)
        && !(event instanceof SchedulerEvent.CycleSkipped)) {
      return;
    }
    if (!alarmCheckQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      sender.execute(this::tellAlarms);
    } catch (RejectedExecutionException e) {
      alarmCheckQueued.set(false); // closing: nothing more is told
    }
  }

  /** On the sending thread: tells each alarm not told yet. */
  private void tellAlarms() {
    alarmCheckQueued.set(false);
    List<NightAlarm> raised;
    try {
      raised = alarms.get();
    } catch (RuntimeException e) {
      LOG.warn("Could not read the night alarms: {}", e.toString());
      return;
    }
    for (NightAlarm a : told.untold(raised)) {
      Notification n =
          new Notification(
              NotificationKind.NEEDS_HUMAN,
              Optional.of(Attention.NIGHT_ALARM),
              configId,
              time.instant(),
              "Overnight " + configId + ": " + a.kind().key().replace('_', ' ') + " alarm",
              a.message() + "\n",
              List.of(
                  new NotificationItem(
                      Optional.empty(),
                      a.kind().key().replace('_', ' ') + " alarm",
                      a.kind().key(),
                      a.message(),
                      Optional.empty())),
              Optional.empty());
      for (ConfiguredNotifier c : notifiers) {
        if (c.settings().receives(n.kind())) {
          deliver(c, n);
        }
      }
    }
  }

  /** The notifiers messages go to, in the config's order. */
  public List<ConfiguredNotifier> notifiers() {
    return notifiers;
  }

  @Override
  public void onEvent(CoordinatorEvent event) {
    try {
      handle(event);
    } catch (RuntimeException e) {
      LOG.warn("Could not prepare a notification for {}: {}", event, e.toString(), e);
    }
  }

  private void handle(CoordinatorEvent event) {
    if (event instanceof CoordinatorEvent.CycleBegan c) {
      cycleBegan(c.at());
    } else if (event instanceof CoordinatorEvent.TaskEnded t) {
      taskEnded(t);
    } else if (event instanceof CoordinatorEvent.AgentParked p) {
      agentParked(p);
    } else if (event instanceof CoordinatorEvent.CycleEnded c) {
      cycleEnded(c);
    } else if (event instanceof CoordinatorEvent.PullRequestChanged p) {
      pullRequestChanged(p);
    }
  }

  private synchronized void cycleBegan(Instant at) {
    runningCycles++;
    nightTimer.cancel();
    if (night == null) {
      night = new Night(NightWindow.endOfWindow(schedule, at).orElse(at));
    }
  }

  private void taskEnded(CoordinatorEvent.TaskEnded t) {
    Task task = t.task();
    NotificationItem item =
        new NotificationItem(
            Optional.of(task.id().value()),
            task.title(),
            t.outcome().key(),
            t.reason(),
            t.prUrl().or(() -> TaskFacts.PR_URL.from(task)));
    synchronized (this) {
      openNight(t.at()).items.add(item);
    }
    Optional<Attention> attention = attention(t);
    if (attention.isPresent()) {
      String why =
          switch (attention.get()) {
            case PERMISSION_REFUSED ->
                "the permission policy refused "
                    + TaskFacts.REFUSED_PERMISSION.from(task).orElse("a request")
                    + " and the task did not finish";
            case FAILING_REPEATEDLY -> "it failed " + task.attempts() + " attempts and gave up";
            case AGENT_PARKED, NIGHT_ALARM -> t.reason();
            case CONFLICT -> "its branch conflicts with its base";
          };
      send(
          needsHuman(
              attention.get(),
              t.at(),
              "task " + task.id().shortId() + " needs you: " + task.title(),
              "Task \""
                  + task.title()
                  + "\" ("
                  + task.id().shortId()
                  + "): "
                  + why
                  + ".\n"
                  + (t.reason().isEmpty() ? "" : "Last attempt: " + t.reason() + "\n"),
              item));
    }
  }

  /**
   * A pull request's new state goes into the night's message beside the tasks (not counted as one).
   */
  private void pullRequestChanged(CoordinatorEvent.PullRequestChanged p) {
    NotificationItem item =
        new NotificationItem(
            Optional.empty(),
            p.task().title(),
            "pull request " + p.state().replace('_', ' '),
            "",
            Optional.of(p.prUrl()).filter(u -> !u.isEmpty()));
    synchronized (this) {
      openNight(p.at()).items.add(item);
    }
  }

  /** Whether, and why, a task's end needs a human. */
  private static Optional<Attention> attention(CoordinatorEvent.TaskEnded t) {
    if (t.outcome() == AttemptOutcome.COMPLETED
        || t.outcome() == AttemptOutcome.CANCELLED
        || t.outcome() == AttemptOutcome.LOST) {
      return Optional.empty();
    }
    if (TaskFacts.REFUSED_PERMISSION.from(t.task()).isPresent()) {
      return Optional.of(Attention.PERMISSION_REFUSED);
    }
    if (t.outcome() == AttemptOutcome.FAILED && t.task().attempts() >= 2) {
      return Optional.of(Attention.FAILING_REPEATEDLY);
    }
    return Optional.empty();
  }

  private void agentParked(CoordinatorEvent.AgentParked p) {
    NotificationItem item =
        new NotificationItem(
            Optional.empty(),
            p.agentId(),
            "parked",
            "until " + p.until() + ": " + p.reason(),
            Optional.empty());
    synchronized (this) {
      openNight(p.at()).items.add(item);
    }
    if (NightWindow.pastTheNight(schedule, p.at(), p.until())) {
      send(
          needsHuman(
              Attention.AGENT_PARKED,
              p.at(),
              "agent " + p.agentId() + " is out until " + p.until(),
              "The agent "
                  + p.agentId()
                  + " cannot be used until "
                  + p.until()
                  + ", past tonight's window: "
                  + p.reason()
                  + ".\nNo task that needs it runs again tonight.\n",
              item));
    }
  }

  /**
   * Tells of a sync of a pull request's branch with its base ({@code result}, {@code task} as noted
   * after it): one that needs a human is told at once, as {@link #conflictUnresolved}; one that
   * changed the branch is listed in the night's summary; one that found the branch up to date is
   * not told. Never blocks on a receiver.
   */
  public void baseSynced(Instant at, Task task, SyncResult result) {
    if (result.needsHuman()) {
      conflictUnresolved(at, task, result.conflictedFiles(), result.note());
      return;
    }
    if (result.outcome() == SyncOutcome.UP_TO_DATE) {
      return;
    }
    NotificationItem item =
        new NotificationItem(
            Optional.empty(),
            task.title(),
            "pull request " + result.outcome().key().replace('_', ' ') + " with its base",
            result.note(),
            TaskFacts.PR_URL.from(task));
    synchronized (this) {
      openNight(at).items.add(item);
    }
  }

  /**
   * Tells people at once that a task's branch conflicts with its base and its agent could not
   * resolve the conflict ({@link Attention#CONFLICT}); the night's summary lists it too. Never
   * blocks on a receiver.
   *
   * @param files the conflicted files
   * @param why what stopped the sync, in words
   */
  public void conflictUnresolved(Instant at, Task task, List<String> files, String why) {
    NotificationItem item =
        new NotificationItem(
            Optional.of(task.id().value()),
            task.title(),
            "conflict",
            why,
            TaskFacts.PR_URL.from(task));
    synchronized (this) {
      openNight(at).items.add(item);
    }
    send(
        needsHuman(
            Attention.CONFLICT,
            at,
            "task " + task.id().shortId() + " needs you: " + task.title(),
            "Task \""
                + task.title()
                + "\" ("
                + task.id().shortId()
                + "): its branch "
                + TaskFacts.BRANCH.from(task).map(b -> b + " ").orElse("")
                + "conflicts with its base"
                + (files.isEmpty() ? "" : " in " + String.join(", ", files))
                + " and the agent could not resolve it: "
                + why
                + ".\n",
            item));
  }

  private void cycleEnded(CoordinatorEvent.CycleEnded c) {
    Optional<Night> ended;
    synchronized (this) {
      runningCycles = Math.max(0, runningCycles - 1);
      Night n = openNight(c.at());
      c.report().ifPresent(r -> n.report = Optional.of(r));
      if (runningCycles > 0) {
        return;
      }
      if (c.at().isBefore(n.end)) {
        nightTimer = time.schedule(n.end, this::nightOver);
        return;
      }
      ended = takeNight();
    }
    ended.ifPresent(n -> send(summary(n, c.at())));
  }

  private void nightOver() {
    Optional<Night> ended;
    synchronized (this) {
      if (runningCycles > 0) {
        return; // the running cycle's end sends it
      }
      ended = takeNight();
    }
    ended.ifPresent(n -> send(summary(n, n.end)));
  }

  /** The open night, opening one at {@code at} for events outside any cycle. */
  private Night openNight(Instant at) {
    if (night == null) {
      night = new Night(NightWindow.endOfWindow(schedule, at).orElse(at));
    }
    return night;
  }

  private Optional<Night> takeNight() {
    Optional<Night> n = Optional.ofNullable(night);
    night = null;
    return n;
  }

  /** The message of a night that ended at {@code at}. */
  private Notification summary(Night n, Instant at) {
    Map<String, Integer> byOutcome = new LinkedHashMap<>();
    int tasks = 0;
    for (NotificationItem i : n.items) {
      if (i.taskId().isPresent()) {
        tasks++;
        byOutcome.merge(i.outcome(), 1, Integer::sum);
      }
    }
    List<String> counts = new ArrayList<>();
    byOutcome.forEach((outcome, count) -> counts.add(count + " " + outcome));
    String title =
        "Overnight "
            + configId
            + ": night ended, "
            + (tasks == 0
                ? "no task ran"
                : tasks + (tasks == 1 ? " task: " : " tasks: ") + String.join(", ", counts));
    StringBuilder text = new StringBuilder(title).append('\n');
    for (NotificationItem i : n.items) {
      text.append("- ").append(i.outcome()).append(": ").append(i.title());
      if (!i.detail().isEmpty()) {
        text.append(" (").append(i.detail()).append(')');
      }
      i.link().ifPresent(l -> text.append(" ").append(l));
      text.append('\n');
    }
    n.report.ifPresent(r -> text.append("Report: ").append(r).append('\n'));
    return new Notification(
        NotificationKind.NIGHT_ENDED,
        Optional.empty(),
        configId,
        at,
        title,
        text.toString(),
        n.items,
        n.report);
  }

  private Notification needsHuman(
      Attention attention, Instant at, String what, String text, NotificationItem item) {
    return new Notification(
        NotificationKind.NEEDS_HUMAN,
        Optional.of(attention),
        configId,
        at,
        "Overnight " + configId + ": " + what,
        text,
        List.of(item),
        Optional.empty());
  }

  /**
   * Queues {@code n}, such as a pipeline step's message, for every notifier that receives its kind.
   * Never blocks on a receiver and never throws; after {@link #close()} it is dropped with a
   * warning.
   */
  public void tell(Notification n) {
    Objects.requireNonNull(n, "n");
    send(n);
  }

  /** Queues {@code n} for every notifier that receives its kind. */
  private void send(Notification n) {
    for (ConfiguredNotifier c : notifiers) {
      if (!c.settings().receives(n.kind())) {
        continue;
      }
      try {
        sender.execute(() -> deliver(c, n));
      } catch (RejectedExecutionException e) {
        LOG.warn("Overnight is closing: {} not sent to {}", n.title(), c.describe());
      }
    }
  }

  private static void deliver(ConfiguredNotifier c, Notification n) {
    try {
      c.notifier().send(n);
      LOG.debug("Sent \"{}\" to {}", n.title(), c.describe());
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("The notifier {} failed; going on without it: {}", c.describe(), e.getMessage());
    }
  }

  /**
   * Sends the night still open, if any, then waits up to 30 seconds for every queued message; what
   * is still queued then is dropped. Idempotent.
   */
  @Override
  public void close() {
    Optional<Night> open;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      nightTimer.cancel();
      open = takeNight();
    }
    open.ifPresent(n -> send(summary(n, time.instant())));
    sender.shutdown();
    try {
      if (!sender.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Notifications still unsent after {}; dropping them", CLOSE_WAIT);
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sender.shutdownNow();
    }
  }

  /** What a night has gathered so far. Guarded by the owner's lock. */
  private static final class Night {
    final Instant end;
    final List<NotificationItem> items = new ArrayList<>();
    Optional<String> report = Optional.empty();

    Night(Instant end) {
      this.end = end;
    }
  }
}
