package dev.overnight.core.coordinator;

import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of one coordinator cycle, once its start is done: claim tasks and start each with an
 * agent, up to {@code max_concurrent} at once and while the cycle's budget lets a task start; ask
 * the decision engine when nothing is claimed, and wait for work when nothing runs either; stop
 * starting tasks when the night's spending limit is reached or no agent may work; then wait for
 * every task started, note the cycle's end on it, write the report and tell the cycle's end.
 *
 * <p>A day cycle ({@code pr_automation.follow_ups.in_day}) claims follow-ups only, and does not ask
 * the engine or wait for work; its report is written only when a task ran, and its end is not told,
 * as it is no cycle of the night.
 *
 * <p>Used once, on the cycle's thread; not thread-safe. {@link #run()} blocks until every task it
 * started has ended.
 */
final class CycleLoop {
  private static final Logger LOG = LoggerFactory.getLogger(CycleLoop.class);

  private final AgentCoordinator owner;
  private final CycleContext cycle;
  private final boolean day;
  private final TaskRun.Interruption atDeadline;
  private final WorkWait idle = new WorkWait();
  private final ExecutorCompletionService<TaskRun.Result> running;
  // Claimed but predicted to touch a running task's files: held, claimed, until that task has
  // ended, then started; given back once if the cycle stops first.
  private final HeldTasks waiting;
  private boolean engineDry;
  private int inFlight;
  private int decided;
  private int started;
  private int held; // taken but given back before their agent started (no disk for a worktree)
  // Why this cycle stopped starting tasks early, for the report's cycle line; empty when it ran
  // out of work or time, which the task table already shows.
  private Optional<String> stoppedBy = Optional.empty();
  // Why no task could start, for the wake's receipt when none did.
  private Optional<WakeReason> idleBecause = Optional.empty();

  /**
   * The loop of {@code cycle}, a day cycle if {@code day}; its wait for work ends on cancel.
   *
   * @param atDeadline why a task still running at the cycle's deadline is stopped
   */
  CycleLoop(
      AgentCoordinator owner, CycleContext cycle, boolean day, TaskRun.Interruption atDeadline) {
    this.owner = owner;
    this.cycle = cycle;
    this.day = day;
    this.atDeadline = atDeadline;
    cycle.onCancel(idle::cancel);
    this.running = new ExecutorCompletionService<>(owner.workers());
    this.waiting =
        new HeldTasks(
            owner.queue(),
            owner.workerId(),
            owner.timeSource(),
            AgentCoordinator.LEASE,
            AgentCoordinator.HEARTBEAT);
  }

  /** Runs the loop to the cycle's end. */
  void run() {
    while (!cycle.isCancelled()) {
      if (inFlight >= owner.config().maxConcurrent()) {
        collectOne();
        continue;
      }
      if (stoppedBy.isPresent() || !timeForAnotherTask()) {
        break;
      }
      Optional<String> limit = owner.nightLimitReached();
      if (limit.isPresent()) {
        stoppedBy = limit;
        idleBecause = Optional.of(WakeReason.NIGHT_LIMIT_REACHED);
        break;
      }
      AgentRoster roster = owner.roster();
      Optional<AgentProvider> anyAgent = roster.pick(Optional.empty(), owner.now());
      if (anyAgent.isEmpty()) {
        String why = "no allowed agent is available: " + roster.describe(owner.now());
        owner.emit(new CoordinatorEvent.NothingToDo(owner.now(), why));
        stoppedBy = Optional.of(why);
        idleBecause = Optional.of(WakeReason.AGENT_PARKED);
        break;
      }
      Optional<Task> claimed = owner.overlaps().nextReady(waiting).or(this::claim);
      if (claimed.isEmpty() && !waiting.isEmpty() && inFlight == 0) {
        // Nothing runs that a held task could wait for any more.
        waiting.giveBack();
        continue;
      }
      if (claimed.isEmpty() && !waiting.isEmpty()) {
        collectOne();
        continue;
      }
      if (claimed.isEmpty() && day) {
        idleBecause = Optional.of(WakeReason.NO_WORK);
        break;
      }
      if (claimed.isEmpty()) {
        if (!engineDry && decided < owner.config().maxConcurrent() && owner.decide()) {
          decided++;
          continue;
        }
        engineDry = true;
        idleBecause = Optional.of(WakeReason.NO_WORK);
        // Idle inside the window: a queue shared with other machines wakes this one when work
        // arrives there, so it need not poll; a queue that cannot tell ends the cycle as before.
        if (inFlight == 0 && idle.awaitWork(owner.queue(), timeLeftToWait())) {
          continue;
        }
        break;
      }
      if (!start(claimed.get())) {
        break;
      }
    }
    waiting.giveBack();
    while (inFlight > 0) {
      collectOne();
    }
    end();
  }

  /** The next task this cycle may run: a follow-up in the day, else any its labels allow. */
  private Optional<Task> claim() {
    String workerId = owner.workerId();
    if (day) {
      return owner
          .queue()
          .claimNext(
              workerId, FollowUpWork.followUpsOnly(owner.workerLabels()), AgentCoordinator.LEASE);
    }
    return owner.workerLabels().isPresent()
        ? owner
            .queue()
            .claimNext(workerId, owner.workerLabels().get().get(), AgentCoordinator.LEASE)
        : owner.queue().claimNext(workerId, AgentCoordinator.LEASE);
  }

  /**
   * Starts {@code task} with an agent, or holds it while it overlaps a running task.
   *
   * @return false when no agent may run it: the cycle starts no further task
   */
  private boolean start(Task claimed) {
    Optional<String> overlap =
        inFlight > 0 ? owner.overlaps().overlapsRunning(claimed) : Optional.empty();
    if (overlap.isPresent()) {
      waiting.hold(claimed, overlap.get());
      return true;
    }
    Task task = owner.overlaps().unstackedIfFirstFailed(claimed);
    Optional<AgentProvider> agent = owner.roster().pick(task.agentId(), owner.now());
    if (agent.isEmpty()) {
      owner
          .queue()
          .fail(task.id(), owner.workerId(), "no allowed agent is available", Retry.RELEASE);
      owner.counters().ended(AttemptOutcome.RELEASED);
      stoppedBy = Optional.of("no allowed agent is available for task " + task.id().shortId());
      idleBecause = Optional.of(WakeReason.AGENT_PARKED);
      return false;
    }
    TaskRun run = new TaskRun(owner, task, agent.get(), cycle, atDeadline);
    List<TaskRun> active = owner.active();
    active.add(run);
    owner.counters().taskStarted();
    started++;
    running.submit(
        () -> {
          try {
            return run.call();
          } finally {
            active.remove(run);
          }
        });
    inFlight++;
    return true;
  }

  /** Waits for one running task to end, and accounts for it. */
  private void collectOne() {
    Optional<String> blocked = collect();
    stoppedBy = stoppedBy.or(() -> blocked);
    held += blocked.isPresent() ? 1 : 0;
    inFlight--;
  }

  /**
   * Waits for one running task to end and accounts for it.
   *
   * @return why no further task can start in this cycle, if none can: its worktree could not be
   *     made for want of disk, so the next claim (the same task again, oldest first) would fail
   *     alike, in a loop until the deadline
   */
  private Optional<String> collect() {
    try {
      TaskRun.Result r = running.take().get();
      owner.account(r);
      if (r.blocksCycle()) {
        owner.emit(
            new CoordinatorEvent.LimitWarning(
                owner.now(), r.reason() + ": no new task starts in this cycle"));
        return Optional.of(r.reason());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      owner.active().forEach(run -> run.interrupt(TaskRun.Interruption.STOPPED));
    } catch (ExecutionException e) {
      LOG.error("A task run failed unexpectedly", e.getCause());
    }
    return Optional.empty();
  }

  /** Notes the cycle's end on it, writes the report and tells the cycle's end. */
  private void end() {
    int ran = started - held;
    List<String> notes = new ArrayList<>();
    notes.add(ran + (ran == 1 ? " task run" : " tasks run"));
    stoppedBy.ifPresent(why -> notes.add("no more started: " + why));
    notes.forEach(cycle::note);
    String idleDetail = stoppedBy.orElse("the queue is empty and no new work was found");
    Optional<WakeReceipt> nothingStarted =
        started > 0 || cycle.isCancelled()
            ? Optional.empty()
            : idleBecause.map(why -> WakeReceipt.skipped(why, idleDetail));
    nothingStarted.ifPresent(r -> cycle.nothingStarted(r.reason().orElseThrow(), r.detail()));
    Optional<String> report = Optional.empty();
    Optional<AgentCoordinator.ReportHook> reportHook = owner.reportHook();
    if (reportHook.isPresent() && (!day || started > 0)) {
      try {
        report =
            Optional.of(
                reportHook.get().write(owner.now(), finishing(notes, nothingStarted)).toString());
      } catch (RuntimeException e) {
        LOG.warn("Could not write the morning report: {}", e.toString());
      }
    }
    if (!day) {
      owner.emit(new CoordinatorEvent.CycleEnded(owner.now(), cycle.cycleId(), started, report));
    }
  }

  /** This cycle as the report shows it: the scheduler records it only once it has returned. */
  private CycleRecord finishing(List<String> notes, Optional<WakeReceipt> idle) {
    boolean cancelled = cycle.isCancelled();
    List<String> all = new ArrayList<>();
    if (cancelled) {
      all.add("Overnight stopped");
    }
    all.addAll(notes);
    return new CycleRecord(
        cycle.cycleId(),
        owner.config().id(),
        cycle.plannedAt(),
        Optional.of(cycle.startedAt()),
        Optional.of(owner.now()),
        cancelled ? CycleOutcome.CANCELLED : CycleOutcome.COMPLETED,
        Optional.empty(),
        all,
        cycle.catchUp(),
        cancelled ? WakeReceipt.fired() : idle.orElseGet(WakeReceipt::fired));
  }

  private boolean timeForAnotherTask() {
    Duration left = timeLeftForWork();
    return !left.isNegative() && !left.isZero();
  }

  /** How long a task may still start in this cycle: its budget less the least a task needs. */
  private Duration timeLeftForWork() {
    Duration left = Duration.between(owner.now(), cycle.deadline());
    Duration minimum = Duration.ofSeconds(Math.min(300, owner.config().timeBudgetSec() / 10));
    return left.minus(minimum);
  }

  /** How long an idle cycle waits for work: while a task may start, and not past the window. */
  private Duration timeLeftToWait() {
    Duration untilWindowEnds =
        Duration.between(owner.now(), NightEnd.after(owner.config().schedule(), owner.now()));
    Duration left = timeLeftForWork();
    return left.compareTo(untilWindowEnds) < 0 ? left : untilWindowEnds;
  }
}
