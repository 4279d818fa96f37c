package dev.overnight.core.coordinator;

import dev.overnight.api.Cancellable;
import dev.overnight.api.OrchestrationException;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.PermissionDecision;
import dev.overnight.api.agent.PermissionPolicy;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.ToolKind;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.agent.UsageLimitException;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.queue.IllegalTransitionException;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskNotFoundException;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.store.StoreLostException;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.process.ProcessIdentity;
import dev.overnight.core.worktree.GitException;
import dev.overnight.core.worktree.Worktree;
import dev.overnight.core.worktree.WorktreeDiskLimitException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one task: worktree, agent session, watchdogs, quality gate, publication and the
 * queue's verdict. Runs on a coordinator worker thread and blocks until the attempt ends.
 *
 * <p>Time limits are armed on the coordinator's time source, so they behave the same on virtual
 * time: at the cycle deadline (or the per-task limit) the agent gets {@code session/cancel}, then
 * after the grace period its process tree is killed; a session silent for {@code
 * limits.stuck_after_sec} is treated the same way and retried as stuck.
 */
final class TaskRun {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRun.class);

  /** Why an attempt was ended from outside the agent, and what the queue does about it. */
  enum Interruption {
    BUDGET("time budget exhausted", Retry.IF_ATTEMPTS_LEFT),
    /**
     * A day cycle's deadline was the window's opening: the task runs again in the night, with the
     * attempt it had, since the day's cut was not its own doing.
     */
    WINDOW_OPENED("the night's window opened; it runs in the night", Retry.RELEASE),
    STUCK("stuck", Retry.IF_ATTEMPTS_LEFT),
    TASK_LIMIT("per-task limit reached", Retry.NEVER),
    STOPPED("Overnight is stopping", Retry.RELEASE),
    /** The task is no longer this worker's: cancelled in the queue (or its lease was lost). */
    CANCELLED("the task was cancelled", Retry.NEVER);

    final String reason;
    final Retry retry;

    Interruption(String reason, Retry retry) {
      this.reason = reason;
      this.retry = retry;
    }
  }

  /**
   * The outcome of one attempt.
   *
   * @param blocksCycle whether no other task can start in this cycle either (worktrees are over
   *     their disk bound)
   */
  record Result(
      Task task,
      AttemptOutcome outcome,
      String reason,
      Usage usage,
      Duration agentTime,
      Optional<String> prUrl,
      boolean blocksCycle) {}

  /** The tool calls that change files. */
  private static final Set<ToolKind> EDITS =
      EnumSet.of(ToolKind.EDIT, ToolKind.DELETE, ToolKind.MOVE);

  private final AgentCoordinator owner;
  private final OrchestrationConfig config;
  private final Task task;
  private final AgentProvider agent;
  private final CycleContext cycle;
  private final AtomicReference<Interruption> interruption = new AtomicReference<>();
  private final AtomicReference<Instant> lastActivity = new AtomicReference<>();
  private final AtomicReference<AgentSession> session = new AtomicReference<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private Optional<ProcessIdentity> agentGroup = Optional.empty(); // the attempt's thread only
  // Guarded by itself: timer actions arm more timers on the time source's thread while the
  // attempt's own thread disarms them all.
  private final List<Cancellable> timers = new ArrayList<>();
  private boolean disarmed; // guarded by timers
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicReference<Double> reportedCost = new AtomicReference<>();
  // The first request the permission policy refused, for a task that then does not finish.
  private final AtomicReference<String> firstRefusal = new AtomicReference<>();
  private final StringBuilder summary = new StringBuilder();
  // What the agent said since its last tool call: its final message once the turn ends. Guarded
  // by summary, like the flag that says whether a message is being continued.
  private final StringBuilder lastMessage = new StringBuilder();
  private boolean messageOpen;
  // Set once at the start of call(), then read on the attempt's thread only.
  private AttemptObserver.Attempt observation = AttemptObserver.Attempt.NONE;
  private int turns; // the attempt's thread only
  // The evidence of what the agent did, counted as its updates and permission requests arrive.
  private final Set<String> toolCallIds = ConcurrentHashMap.newKeySet();
  private final AtomicLong edits = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  // What else an interruption stops: a pipeline's current step.
  private volatile Runnable onInterrupt = () -> {};
  private final Interruption atDeadline;

  /**
   * @param atDeadline what reaching the cycle's deadline means: {@link Interruption#BUDGET}, or
   *     {@link Interruption#WINDOW_OPENED} for a day cycle that ends when the window opens
   */
  TaskRun(
      AgentCoordinator owner,
      Task task,
      AgentProvider agent,
      CycleContext cycle,
      Interruption atDeadline) {
    this.owner = owner;
    this.config = owner.config();
    this.task = task;
    this.agent = agent;
    this.cycle = cycle;
    this.atDeadline = atDeadline;
  }

  Task task() {
    return task;
  }

  /** Ends the attempt from outside (the scheduler stopping, a watchdog). Never blocks. */
  void interrupt(Interruption why) {
    if (interruption.compareAndSet(null, why)) {
      stopSession();
      onInterrupt.run();
    }
  }

  /** Why the attempt was ended from outside, if it was. */
  Optional<Interruption> interruption() {
    return Optional.ofNullable(interruption.get());
  }

  /** Also runs {@code action} when the attempt is interrupted. */
  void onInterrupt(Runnable action) {
    onInterrupt = action;
  }

  /** Arms the cycle deadline and the lease heartbeat for an attempt that is not one session. */
  void armAttemptWatchdogs() {
    arm(cycle.deadline(), () -> interrupt(atDeadline));
    armHeartbeat(owner.now().plus(AgentCoordinator.HEARTBEAT));
  }

  /** Calls off every watchdog. */
  void disarmWatchdogs() {
    disarm();
  }

  /**
   * Sends the session {@code session/cancel} and closes it (killing the agent) after the grace
   * period; once, whether the interruption came before or after the session opened.
   */
  private void stopSession() {
    AgentSession s = session.get();
    if (s != null && stopping.compareAndSet(false, true)) {
      LOG.info(
          "Task {}: {}; cancelling the session", task.id().shortId(), interruption.get().reason);
      s.cancel();
      arm(owner.now().plusSeconds(config.limits().cancelGraceSec()), s::close);
    }
  }

  /** Runs the attempt, showing it to the coordinator's attempt observers. */
  Result call() {
    observation =
        owner.observeAttempt(
            new AttemptObserver.Start(owner.now(), task, agent.id(), cycle.cycleId()));
    Result r;
    try {
      // A pipeline is a task whose attempt runs its manifest's steps rather than one prompt.
      r =
          Pipelines.isPipeline(task)
              ? new PipelineAttempt(owner, this, agent, cycle).call()
              : attempt();
    } catch (RuntimeException | Error e) {
      observation.failed(owner.now(), e);
      throw e;
    }
    observation.ended(
        new AttemptObserver.End(
            owner.now(), r.task(), r.outcome(), r.reason(), r.usage(), r.agentTime()));
    return r;
  }

  private Result attempt() {
    Instant started = owner.now();
    Worktree worktree;
    try {
      owner.prepareBranch(task);
      worktree = owner.worktrees().prepare(task);
    } catch (WorktreeDiskLimitException e) {
      return waitForDisk(e.getMessage(), started);
    } catch (GitException | java.io.UncheckedIOException e) {
      Optional<String> full = owner.worktrees().outOfDisk(e);
      if (full.isPresent()) {
        // Not the task's fault, and every other task would fail alike until space is freed.
        return waitForDisk(full.get(), started);
      }
      return end(
          Retry.IF_ATTEMPTS_LEFT,
          "could not prepare the worktree: " + e.getMessage(),
          Usage.NONE,
          started,
          Optional.empty());
    }
    Usage usage = Usage.NONE;
    boolean success = false;
    String failure = "";
    Retry retry = Retry.IF_ATTEMPTS_LEFT;
    Optional<String> prUrl = Optional.empty();
    boolean unchanged = false;
    try {
      owner.annotate(
          task,
          Map.of(
              TaskFacts.BRANCH.key(),
              worktree.branch(),
              TaskFacts.AGENT.key(),
              agent.id(),
              TaskFacts.WORKTREE.key(),
              worktree.path().toString()));
      AgentSession s;
      try {
        s = agent.open(request(worktree));
      } catch (AuthenticationRequiredException e) {
        owner.annotate(task, TaskFacts.AGENT_ERROR.of(e.withOutput()));
        owner
            .parking()
            .parkForLogin(agent.id(), owner.now().plus(Duration.ofHours(12)), e.getMessage());
        return end(
            Retry.RELEASE,
            agent.id() + " needs a login: " + e.withOutput(),
            usage,
            started,
            Optional.empty(),
            worktree);
      } catch (UsageLimitException e) {
        owner.parking().parkForLimit(agent.id(), e);
        return end(Retry.RELEASE, limitReason(e), usage, started, Optional.empty(), worktree);
      } catch (AgentException e) {
        // The agent exited at start, refused session/new or timed out before its session: the
        // task never began, so the attempt is not counted against it (nor its proposal burnt).
        String error = e.withOutput();
        LOG.warn(
            "Task {}: {} did not start: {}", task.id().shortId(), agent.id(), owner.redact(error));
        owner.annotate(task, TaskFacts.AGENT_ERROR.of(error));
        Optional<Instant> parked = owner.parking().agentFailedToStart(agent.id(), error);
        String reason =
            (error.startsWith(agent.id()) ? error : agent.id() + " did not start: " + error)
                + parked.map(u -> " (parked until " + u + ")").orElse("");
        return end(Retry.RELEASE, reason, usage, started, Optional.empty(), worktree);
      }
      owner.parking().agentStarted(agent.id());
      session.set(s);
      agentGroup = s.processGroupLeader().map(ProcessIdentity::of);
      agentGroup.ifPresent(
          g ->
              owner
                  .agentProcesses()
                  .record(g, agent.id() + " for task " + task.id().shortId() + " " + task.title()));
      lastActivity.set(owner.now());
      owner.annotate(task, TaskFacts.SESSION_ID.of(s.sessionId()));
      owner.emit(
          new CoordinatorEvent.TaskStarted(
              owner.now(), task, agent.id(), worktree.branch(), s.sessionId()));
      s.updates().subscribe(new Forwarder(s));
      armWatchdogs(s);
      if (interruption.get() != null) {
        stopSession();
      }
      // Interrupted while the agent started: no turn to cancel, so none is begun.
      AgentOutcome outcome =
          interruption.get() != null
              ? new AgentOutcome(StopReason.CANCELLED, Usage.NONE)
              : turn(s, Prompts.forTask(task, worktree));
      usage = usage.plus(outcome.usage());
      Optional<GateResult> gate = Optional.empty();
      if (interruption.get() == null && overTaskLimit(usage)) {
        interruption.compareAndSet(null, Interruption.TASK_LIMIT);
      }
      if (interruption.get() == null && outcome.stopReason() == StopReason.END_TURN) {
        QualityGateRunner gates = owner.gates();
        gate = gates.run(worktree.path(), 1);
        gate.ifPresent(g -> observation.gateChecked(owner.now(), g));
        int runs = 1;
        while (gate.isPresent()
            && !gate.get().passed()
            && config.qualityGate().retryWithAgent()
            && runs <= config.qualityGate().maxRetries()
            && interruption.get() == null
            && owner.now().isBefore(cycle.deadline())) {
          newTurn();
          AgentOutcome again = turn(s, QualityGateRunner.retryPrompt(gate.get()));
          usage = usage.plus(again.usage());
          if (again.stopReason() != StopReason.END_TURN) {
            break;
          }
          runs++;
          gate = gates.run(worktree.path(), runs);
          gate.ifPresent(g -> observation.gateChecked(owner.now(), g));
        }
        // The reviewer judges what passed the gate; a partial result gets the reviewer's notes
        // for a bounded number of turns more, each checked by the gate again.
        Optional<ResultReviewer.Review> review = Optional.empty();
        int partialTurns = 0;
        while (config.review().enabled()
            && (gate.isEmpty() || gate.get().passed())
            && interruption.get() == null) {
          ResultReviewer.Review r = owner.review(task, agent, worktree, gate);
          usage = usage.plus(r.usage().usage());
          review = Optional.of(r);
          if (r.verdict().filter(v -> v == ResultReviewer.Verdict.PARTIAL).isEmpty()
              || partialTurns >= config.review().partialTurns()
              || !owner.now().isBefore(cycle.deadline())) {
            break;
          }
          partialTurns++;
          newTurn();
          AgentOutcome again = turn(s, ResultReviewer.partialPrompt(r));
          usage = usage.plus(again.usage());
          if (again.stopReason() != StopReason.END_TURN) {
            break;
          }
          runs++;
          gate = gates.run(worktree.path(), runs);
          gate.ifPresent(g -> observation.gateChecked(owner.now(), g));
        }
        review.ifPresent(r -> owner.annotate(task, r.facts()));
        Optional<ResultReviewer.Review> rejected =
            review.filter(
                r ->
                    r.verdict()
                        .filter(
                            v ->
                                v == ResultReviewer.Verdict.DID_NOTHING
                                    || v == ResultReviewer.Verdict.HARMFUL)
                        .isPresent());
        if (rejected.isPresent()) {
          // No pull request for work the reviewer rejected; the branch keeps it for a look.
          failure = rejected.get().line();
          retry = Retry.NEVER;
          commitWorkInProgress(worktree);
          owner.annotate(task, workFacts(diff(worktree), gate));
        } else if (gate.isPresent() && !gate.get().passed()) {
          failure = "quality gate " + gate.get().summary();
          retry = Retry.NEVER;
          Map<String, String> facts = new LinkedHashMap<>();
          TaskFacts.GATE.put(facts, gate.get().summary());
          // Committed now rather than when the attempt ends, so the report can say what changed.
          commitWorkInProgress(worktree);
          facts.putAll(workFacts(diff(worktree), gate));
          owner.annotate(task, facts);
        } else {
          // Read again: the pull request shows the facts recorded since the claim (the review).
          Task reviewed = review.isPresent() ? owner.queue().get(task.id()).orElse(task) : task;
          // The base may have moved while the agent worked: the pull request opens up to date.
          Optional<SyncBeforeOpening.Synced> synced = owner.syncBeforeOpening(worktree, reviewed);
          Task toPublish = synced.map(done -> done.on(reviewed)).orElse(reviewed);
          if (synced.isPresent() && synced.get().result().spent()) {
            // The sync's turn is part of this attempt: the task's and the night's totals hold it.
            usage = usage.plus(synced.get().result().usage());
          }
          PublishResult publishedAsIs =
              owner.publisherFor(toPublish).publish(worktree, toPublish, gate, summary());
          PublishResult published =
              synced.map(done -> done.ownCommitsOf(publishedAsIs)).orElse(publishedAsIs);
          prUrl = published.prUrl();
          Map<String, String> facts =
              new LinkedHashMap<>(synced.map(SyncBeforeOpening.Synced::facts).orElse(Map.of()));
          TaskFacts.BRANCH.put(facts, published.branch());
          TaskFacts.COMMITS.put(facts, (long) published.commits());
          TaskFacts.HEAD.put(facts, published.head());
          TaskFacts.PUSHED.put(facts, published.pushed());
          published.pushNote().ifPresent(n -> TaskFacts.PUSH_NOTE.put(facts, n));
          published.prUrl().ifPresent(u -> TaskFacts.PR_URL.put(facts, u));
          published.prNote().ifPresent(n -> TaskFacts.PR_NOTE.put(facts, n));
          gate.ifPresent(g -> TaskFacts.GATE.put(facts, g.summary()));
          // The task's own work, without the base a sync took in.
          Optional<WorkSummary> diff =
              synced.isPresent() ? diff(worktree, synced.get().ownHead()) : diff(worktree);
          facts.putAll(workFacts(diff, gate));
          AttemptEvidence evidence =
              new AttemptEvidence(
                  turns, toolCallIds.size(), edits.get(), refused.get(), diff, gate);
          facts.putAll(evidence.facts());
          unchanged = evidence.noChange().isPresent();
          facts.putAll(usageFacts(usage, started));
          owner
              .queue()
              .complete(
                  task.id(),
                  owner.workerId(),
                  owner.redact(completionSummary(published)),
                  owner.redactValues(facts));
          synced.ifPresent(
              done -> owner.toldOfSync(owner.queue().get(task.id()).orElse(task), done.result()));
          success = true;
        }
      } else if (interruption.get() != null) {
        failure = interruption.get().reason;
        retry = interruption.get().retry;
      } else {
        failure = "the agent stopped: " + outcome.stopReason().wireName();
      }
    } catch (UsageLimitException e) {
      owner.parking().parkForLimit(agent.id(), e);
      failure = limitReason(e);
      retry = Retry.RELEASE;
    } catch (OrchestrationException e) {
      Interruption why = interruption.get();
      failure = why != null ? why.reason : e.getMessage();
      retry = why != null ? why.retry : Retry.IF_ATTEMPTS_LEFT;
    } finally {
      disarm();
      AgentSession s = session.get();
      if (s != null) {
        usage = withSessionCost(usage);
        long attemptTokens = usage.totalTokens();
        s.quotaReading().ifPresent(q -> owner.quotaRead(agent.id(), q, attemptTokens));
        s.close();
        agentGroup.ifPresent(owner.agentProcesses()::forget);
        owner.sessionEnded(s.sessionId());
      }
    }
    if (success) {
      owner.worktrees().remove(worktree);
      // An agent that changed nothing leaves nothing to review: no branch pointing at the base.
      owner.worktrees().deleteBranchIfEmpty(worktree);
      return new Result(
          owner.queue().get(task.id()).orElse(task),
          unchanged ? AttemptOutcome.COMPLETED_NO_CHANGE : AttemptOutcome.COMPLETED,
          "",
          usage,
          Duration.between(started, owner.now()),
          prUrl,
          false);
    }
    return end(retry, failure, usage, started, prUrl, worktree);
  }

  /** The task given back, its attempt not counted, and no other task started in this cycle. */
  private Result waitForDisk(String why, Instant started) {
    Result r =
        end(Retry.RELEASE, "waiting for disk: " + why, Usage.NONE, started, Optional.empty());
    return new Result(r.task(), r.outcome(), r.reason(), r.usage(), r.agentTime(), r.prUrl(), true);
  }

  Result end(
      Retry retry,
      String reason,
      Usage usage,
      Instant started,
      Optional<String> prUrl,
      Worktree worktree) {
    // Keep whatever the agent did on the branch, so a retry resumes from it.
    commitWorkInProgress(worktree);
    noteRefusal();
    Result r = end(retry, reason, usage, started, prUrl);
    if (r.task().status() != TaskStatus.FAILED || !config.worktree().keepFailed()) {
      owner.worktrees().remove(worktree);
      owner.worktrees().deleteBranchIfEmpty(worktree);
    }
    return r;
  }

  Result end(Retry retry, String failure, Usage usage, Instant started, Optional<String> prUrl) {
    // The reason is stored with the task, shown in the report and the events: an agent's error
    // message or a tool's output may quote a key.
    String reason = owner.redact(failure);
    Task after;
    try {
      after = owner.queue().fail(task.id(), owner.workerId(), reason, retry);
    } catch (IllegalTransitionException | TaskNotFoundException e) {
      // The task was cancelled (or taken over after a lost lease) while the agent worked.
      Task now = owner.queue().get(task.id()).orElse(task);
      boolean cancelled = now.status() == TaskStatus.CANCELLED;
      return new Result(
          now,
          cancelled ? AttemptOutcome.CANCELLED : AttemptOutcome.LOST,
          cancelled ? Interruption.CANCELLED.reason : "the task's lease was lost: " + reason,
          usage,
          Duration.between(started, owner.now()),
          prUrl,
          false);
    }
    AttemptOutcome outcome =
        after.status() == TaskStatus.FAILED
            ? AttemptOutcome.FAILED
            : retry == Retry.RELEASE ? AttemptOutcome.RELEASED : AttemptOutcome.RETRY;
    return new Result(
        after, outcome, reason, usage, Duration.between(started, owner.now()), prUrl, false);
  }

  /** A new turn's message does not continue the last turn's. */
  private void newTurn() {
    synchronized (summary) {
      messageOpen = false;
    }
  }

  void commitWorkInProgress(Worktree worktree) {
    try {
      worktree.commitLeftovers(task, " (work in progress)");
    } catch (RuntimeException e) {
      LOG.warn(
          "Task {}: could not commit work in progress: {}", task.id().shortId(), e.getMessage());
    }
  }

  /**
   * What the attempt produced, for the morning report: the branch's diff against its base, whether
   * it does what the task's kind asks, the agent's final message and the tail of the gate's output.
   */
  private Map<String, String> workFacts(Optional<WorkSummary> diff, Optional<GateResult> gate) {
    Map<String, String> facts = new LinkedHashMap<>();
    diff.ifPresent(
        w -> {
          facts.putAll(w.facts());
          w.mismatch(TaskFacts.DECISION_PATH.from(task))
              .ifPresent(m -> TaskFacts.KIND_MISMATCH.put(facts, m));
        });
    String last;
    synchronized (summary) {
      last = lastMessage.toString().strip();
    }
    if (!last.isEmpty()) {
      TaskFacts.FINAL_MESSAGE.put(facts, tail(last, 2000));
    }
    gate.map(GateResult::outputTail)
        .map(String::strip)
        .filter(o -> !o.isEmpty())
        .ifPresent(o -> TaskFacts.GATE_OUTPUT.put(facts, tail(o, 4000)));
    return facts;
  }

  /** What the worktree's branch changed against its base; empty when git cannot tell. */
  private Optional<WorkSummary> diff(Worktree worktree) {
    return diff(worktree, "HEAD");
  }

  private Optional<WorkSummary> diff(Worktree worktree, String head) {
    try {
      return WorkSummary.of(worktree, head);
    } catch (RuntimeException e) {
      LOG.warn("Task {}: could not read its diff: {}", task.id().shortId(), e.getMessage());
      return Optional.empty();
    }
  }

  private static String tail(String text, int max) {
    return text.length() <= max ? text : "…" + text.substring(text.length() - max);
  }

  /** Why the attempt was given back: the exception's words, naming the agent once. */
  private String limitReason(UsageLimitException e) {
    String message = String.valueOf(e.getMessage());
    return message.startsWith(agent.id()) ? message : agent.id() + " hit a usage limit: " + message;
  }

  /** The configured permission policy, counting what it refuses: evidence of a blocked agent. */
  private PermissionPolicy counted(OrchestrationConfig config) {
    PermissionPolicy policy =
        PermissionPolicy.of(config.permissions().mode(), config.permissions().allowFetch());
    return request -> {
      PermissionDecision decision = policy.decide(request);
      if (!decision.allowed()) {
        refused.incrementAndGet();
      }
      return decision;
    };
  }

  private SessionRequest request(Worktree worktree) {
    SessionRequest.Builder b =
        SessionRequest.builder(worktree.path())
            .permissionPolicy(noteRefusals(counted(config)))
            .mcpServers(config.mcpServers())
            .transcriptDirectory(owner.stateDir().resolve("transcripts"))
            // The database, the dashboard token and the other tasks' worktrees are not the agent's.
            .hiddenPath(owner.stateDir())
            .taskId(task.id())
            .cancelGrace(Duration.ofSeconds(config.limits().cancelGraceSec()))
            // Last, so what observers add (a trace context) reaches the agent process as given.
            .environment(observation.agentEnvironment());
    Optional.ofNullable(config.agents().get(agent.id())).flatMap(a -> a.mode()).ifPresent(b::mode);
    return b.build();
  }

  /** Records on the task what the policy refused, if it refused anything. */
  private void noteRefusal() {
    String reason = firstRefusal.get();
    if (reason == null) {
      return;
    }
    try {
      owner.annotate(task, TaskFacts.REFUSED_PERMISSION.of(reason));
    } catch (RuntimeException e) {
      // Cancelled or taken over meanwhile: the attempt's end says so on its own.
      LOG.debug("Task {}: could not record the refusal: {}", task.id().shortId(), e.toString());
    }
  }

  /** The policy, remembering the first request it refuses. */
  private PermissionPolicy noteRefusals(PermissionPolicy policy) {
    return request -> {
      PermissionDecision d = policy.decide(request);
      if (!d.allowed()) {
        firstRefusal.compareAndSet(null, d.reason());
      }
      return d;
    };
  }

  private void armWatchdogs(AgentSession s) {
    Instant now = owner.now();
    Instant deadline = cycle.deadline();
    SpendingLimit perTask = config.limits().perTask();
    if (perTask.agentSeconds().isPresent()) {
      Instant taskDeadline = now.plusSeconds(perTask.agentSeconds().get());
      if (taskDeadline.isBefore(deadline)) {
        arm(taskDeadline, () -> interrupt(Interruption.TASK_LIMIT));
      }
    }
    arm(deadline, () -> interrupt(atDeadline));
    armStuckCheck(now.plusSeconds(config.limits().stuckAfterSec()));
    armHeartbeat(now.plus(AgentCoordinator.HEARTBEAT));
  }

  private void armStuckCheck(Instant at) {
    arm(
        at,
        () -> {
          Instant silentSince = lastActivity.get();
          Instant stuckAt = silentSince.plusSeconds(config.limits().stuckAfterSec());
          if (!owner.now().isBefore(stuckAt)) {
            interrupt(Interruption.STUCK);
          } else {
            armStuckCheck(stuckAt);
          }
        });
  }

  private void armHeartbeat(Instant at) {
    arm(
        at,
        () -> {
          try {
            owner.queue().heartbeat(task.id(), owner.workerId(), AgentCoordinator.LEASE);
          } catch (IllegalTransitionException | TaskNotFoundException e) {
            // Someone cancelled the task (overnight queue cancel, another process on the same
            // store), or its lease was lost: the agent must stop working on it.
            LOG.info("Task {}: no longer held ({}); stopping", task.id().shortId(), e.getMessage());
            interrupt(Interruption.CANCELLED);
            return;
          } catch (StoreLostException e) {
            // Nothing the agent does can be recorded any more: the night is over.
            LOG.error("Task {}: {}; stopping", task.id().shortId(), e.getMessage());
            interrupt(Interruption.STOPPED);
            return;
          } catch (RuntimeException e) {
            // A busy or briefly failing store: try again at the next beat, well before the lease
            // runs out.
            LOG.warn("Task {}: lease heartbeat failed: {}", task.id().shortId(), e.getMessage());
          }
          armHeartbeat(owner.now().plus(AgentCoordinator.HEARTBEAT));
        });
  }

  /** Schedules a watchdog; once the attempt has ended, whatever is armed is called off at once. */
  void arm(Instant at, Runnable action) {
    Cancellable timer = owner.timeSource().schedule(at, action);
    synchronized (timers) {
      if (!disarmed) {
        timers.add(timer);
        return;
      }
    }
    timer.cancel();
  }

  /** Calls off every watchdog, and any a running one arms from now on. */
  private void disarm() {
    List<Cancellable> armed;
    synchronized (timers) {
      disarmed = true;
      armed = List.copyOf(timers);
      timers.clear();
    }
    armed.forEach(Cancellable::cancel);
  }

  private boolean overTaskLimit(Usage usage) {
    SpendingLimit limit = config.limits().perTask();
    return limit.tokens().filter(t -> usage.totalTokens() > t).isPresent()
        || limit.costUsd().filter(c -> usage.costUsd().orElse(0.0) > c).isPresent();
  }

  /**
   * The attempt's usage with the session's cost as the agent last reported it ({@code
   * usage_update}), when it did. That figure is cumulative for the session and the turns' own costs
   * are drawn from it, so it replaces their sum rather than adding to it.
   */
  private Usage withSessionCost(Usage usage) {
    Double cost = reportedCost.get();
    return cost == null
        ? usage
        : new Usage(
            usage.inputTokens(),
            usage.outputTokens(),
            usage.cachedReadTokens(),
            usage.cachedWriteTokens(),
            Optional.of(cost));
  }

  /** Sends one prompt and waits for the turn to end, showing it to the attempt's observers. */
  private AgentOutcome turn(AgentSession s, String prompt) {
    AttemptObserver.TurnWatch watch =
        observation.turnStarted(
            new AttemptObserver.Turn(owner.now(), turns++, s.sessionId(), s.model()));
    AgentOutcome outcome;
    try {
      outcome = await(s.prompt(prompt));
    } catch (RuntimeException e) {
      watch.failed(owner.now(), e);
      throw e;
    }
    watch.ended(owner.now(), outcome);
    return outcome;
  }

  /** The turn's outcome; its failure rethrown as it was, or wrapped when it was checked. */
  static AgentOutcome await(CompletableFuture<AgentOutcome> turn) {
    try {
      return turn.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestrationException("interrupted while waiting for the agent", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new OrchestrationException("the agent's turn failed: " + e.getCause(), e.getCause());
    }
  }

  /** What the agent said, for the pull request's description: public, so without secrets. */
  private String summary() {
    String s;
    synchronized (summary) {
      s = summary.toString().strip();
    }
    s = owner.redact(s);
    return s.length() <= 2000 ? s : "…" + s.substring(s.length() - 2000);
  }

  private static String completionSummary(PublishResult p) {
    return p.commits()
        + (p.commits() == 1 ? " commit" : " commits")
        + " on "
        + p.branch()
        + p.prUrl().map(u -> ", PR " + u).orElse(p.prNote().map(n -> " (" + n + ")").orElse(""));
  }

  private Map<String, String> usageFacts(Usage usage, Instant started) {
    Map<String, String> facts = new LinkedHashMap<>();
    TaskFacts.AGENT_SECONDS.put(facts, Duration.between(started, owner.now()).toSeconds());
    if (usage.totalTokens() > 0) {
      TaskFacts.TOKENS.put(facts, usage.totalTokens());
    }
    Double cost = reportedCost.get();
    Optional<Double> total = cost != null ? Optional.of(cost) : usage.costUsd();
    total.ifPresent(c -> TaskFacts.COST_USD.put(facts, c));
    return facts;
  }

  /** Forwards every update to the hub and notes activity for the stuck detector. */
  private final class Forwarder implements Flow.Subscriber<SessionUpdate> {
    private final AgentSession s;

    Forwarder(AgentSession s) {
      this.s = s;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(SessionUpdate update) {
      Instant now = owner.now();
      lastActivity.set(now);
      if (update instanceof SessionUpdate.AgentMessageChunk chunk
          && chunk.content() instanceof ContentBlock.Text text) {
        synchronized (summary) {
          summary.append(text.text());
          if (!messageOpen) {
            lastMessage.setLength(0);
            messageOpen = true;
          }
          lastMessage.append(text.text());
        }
      } else if (update instanceof SessionUpdate.ToolCall
          || update instanceof SessionUpdate.ToolCallUpdate) {
        synchronized (summary) {
          messageOpen = false;
        }
      }
      if (update instanceof SessionUpdate.ToolCall call
          && toolCallIds.add(call.toolCallId())
          && EDITS.contains(call.toolKind())) {
        edits.incrementAndGet();
      }
      if (update instanceof SessionUpdate.UsageUpdate u && u.costAmount().isPresent()) {
        reportedCost.set(u.costAmount().get());
        if (config.limits().perTask().costUsd().filter(c -> u.costAmount().get() > c).isPresent()) {
          interrupt(Interruption.TASK_LIMIT);
        }
      }
      owner.publish(
          new SessionEvent(
              s.sessionId(),
              agent.id(),
              Optional.of(task.id()),
              sequence.incrementAndGet(),
              now,
              update));
    }

    @Override
    public void onError(Throwable throwable) {
      LOG.debug("Task {}: update stream ended: {}", task.id().shortId(), throwable.toString());
    }

    @Override
    public void onComplete() {}
  }
}
