package dev.overnight.server;

import dev.overnight.api.Subscription;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.report.NightAlarm;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything the dashboard server shows and every control it offers, in one place: the server reads
 * through this interface only, so it runs the same on a real daemon, in the demo and in tests.
 *
 * <p>{@link InMemoryDashboardBackend} implements it by recording the events it is fed, and can
 * delegate state and controls to a real {@link dev.overnight.api.schedule.Scheduler} and {@link
 * dev.overnight.core.coordinator.AgentCoordinator}; {@link StateFolderBackend} shows what a state
 * folder holds when no daemon serves it.
 *
 * <p><b>Threading.</b> Implementations are thread-safe: the server calls the read methods from its
 * HTTP threads, several at once. Read methods may block briefly on a store (the task queue);
 * subscription listeners are called on the publishing thread (an agent's, the scheduler's) and the
 * server's listeners never block.
 *
 * @since 0.1.0
 */
public interface DashboardBackend {

  /** The scheduler's state, next wake and counters, the last constraint results, and more. */
  DashboardStatus status();

  /** The task queue: listed, read and subscribed to for changes. */
  TaskQueue taskQueue();

  /** Recent agent sessions, most recently active first. */
  List<SessionSummary> sessions();

  /**
   * The retained updates of one session, oldest first; empty when the session is unknown or its
   * history was dropped.
   */
  List<SessionEvent> sessionEvents(String sessionId);

  /**
   * The most recent session updates across sessions, oldest first: what a monitoring client that
   * connects late is shown first. At most {@code max} of them.
   */
  List<SessionEvent> recentSessionEvents(int max);

  /**
   * Subscribes to live session updates. The listener runs on the publishing thread and must not
   * block; the returned handle unsubscribes.
   */
  Subscription subscribeSessions(Consumer<SessionEvent> listener);

  /** Subscribes to the scheduler's events; same contract as {@link #subscribeSessions}. */
  Subscription subscribeScheduler(Consumer<SchedulerEvent> listener);

  /** Subscribes to the coordinator's events; same contract as {@link #subscribeSessions}. */
  Subscription subscribeCoordinator(Consumer<CoordinatorEvent> listener);

  /** The decisions made recently, with their rationale, most recent first. */
  List<DecisionRecord> decisions();

  /**
   * The schedule's most recent cycles, newest first, at most {@code max}: what ran (or was skipped,
   * and why) before the page was opened. Default: none, for a backend that keeps no history.
   */
  default List<CycleRecord> cycles(int max) {
    return List.of();
  }

  /**
   * The night alarms over the schedule's last nights: it fired on K nights in a row without a
   * change, or on none of the last K nights it was due. Shown first, loudly. Default: none, for a
   * backend that keeps no history.
   */
  default List<NightAlarm> alarms() {
    return List.of();
  }

  /**
   * The quota ledger's usage windows open now, per agent: what was used of each, its limit once
   * learned, when it resets. Default: none, for a backend that keeps no ledger.
   */
  default List<QuotaWindow> quotaWindows() {
    return List.of();
  }

  /**
   * Whether a daemon is behind this dashboard and its controls ({@link #runNow}, {@link #pause},
   * {@link #resume}) reach it. Default: {@link DaemonPresence#attached()}. The server refuses the
   * controls with the presence's note when they do not.
   */
  default DaemonPresence daemon() {
    return DaemonPresence.attached();
  }

  /** The morning reports available, most recent first. */
  List<ReportFile> reports();

  /**
   * The content of one report, by its {@link ReportFile#name()}; empty when there is no such
   * report. Names that leave the reports folder are never resolved.
   */
  Optional<String> readReport(String name);

  /**
   * Runs a cycle now, outside the schedule.
   *
   * @return whether a cycle was started (false when one is running or constraints forbid it)
   */
  boolean runNow();

  /** Holds cycles back until {@link #resume()}. */
  void pause(String reason);

  /** Lifts a pause made with {@link #pause(String)}. */
  void resume();

  /**
   * The machines that share the queue's store, as they recorded themselves (see {@link
   * WorkerRegistry}). Default: none, for a backend whose store keeps no workers.
   */
  default WorkerRegistry workers() {
    return WorkerRegistry.none();
  }

  /**
   * Queues a task from the dashboard or the HTTP API, for any machine or, by its required labels,
   * for some. By default through the queue.
   */
  default EnqueueResult enqueueTask(TaskSpec spec) {
    return taskQueue().enqueue(spec);
  }

  /**
   * Cancels a pending or running task. By default through the queue; a backend that runs agents may
   * also stop the task's agent at once.
   *
   * @throws dev.overnight.api.queue.IllegalTransitionException if the task is already finished
   * @throws dev.overnight.api.queue.TaskNotFoundException if there is no such task
   */
  default Task cancelTask(TaskId id, String reason) {
    return taskQueue().cancel(id, "dashboard", reason);
  }

  /**
   * Puts a failed or cancelled task back to pending.
   *
   * @throws dev.overnight.api.queue.IllegalTransitionException if the task is not failed or
   *     cancelled
   * @throws dev.overnight.api.queue.TaskNotFoundException if there is no such task
   */
  default Task retryTask(TaskId id, String reason) {
    return taskQueue().retry(id, "dashboard", reason);
  }
}
