package dev.overnight.core.coordinator;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.PermissionPolicy;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.agent.UsageLimitException;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationItem;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.pipeline.StepResult;
import dev.overnight.api.pipeline.StepStatus;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.schedule.CycleContext;
import dev.overnight.core.conflict.SyncResult;
import dev.overnight.core.pipeline.PipelineManifest;
import dev.overnight.core.pipeline.PipelineRefusedException;
import dev.overnight.core.pipeline.PipelineRunner;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.pipeline.StepRecord;
import dev.overnight.core.pipeline.TrustBoundary;
import dev.overnight.core.pr.ChecksLookup;
import dev.overnight.core.pr.ChecksOutcome;
import dev.overnight.core.pr.ChecksWait;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.worktree.GitException;
import dev.overnight.core.worktree.Worktree;
import dev.overnight.core.worktree.WorktreeDiskLimitException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a pipeline task: its manifest read again and checked (the accepted hash, the trust
 * boundary), its worktree prepared, its steps run by a {@link PipelineRunner} whose journal is the
 * task's metadata, and the queue's verdict. Runs on the attempt's thread, inside its {@link
 * TaskRun}, which keeps the lease and ends the attempt at the cycle's deadline.
 */
final class PipelineAttempt {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineAttempt.class);

  private final AgentCoordinator owner;
  private final TaskRun run;
  private final Task task;
  private final AgentProvider defaultAgent;
  private final CycleContext cycle;
  private final OrchestrationConfig config;
  private final AtomicReference<AgentSession> current = new AtomicReference<>();
  private final AtomicLong sequence = new AtomicLong();

  PipelineAttempt(AgentCoordinator owner, TaskRun run, AgentProvider agent, CycleContext cycle) {
    this.owner = owner;
    this.run = run;
    this.task = run.task();
    this.defaultAgent = agent;
    this.cycle = cycle;
    this.config = owner.config();
  }

  TaskRun.Result call() {
    Instant started = owner.now();
    String reference = TaskFacts.PIPELINE.from(task).orElseThrow();
    if (owner.pipelines().isEmpty()) {
      return run.end(
          Retry.NEVER,
          "task " + task.id().shortId() + " is a pipeline, and this Overnight runs no pipelines",
          Usage.NONE,
          started,
          Optional.empty());
    }
    Pipelines pipelines = owner.pipelines().get();
    PipelineManifest manifest;
    TrustBoundary boundary = pipelines.boundary(config, owner.roster().ids());
    try {
      manifest = pipelines.catalog().load(reference);
      String accepted = TaskFacts.PIPELINE_HASH.from(task).orElse("");
      if (!manifest.hash().equals(accepted)) {
        return run.end(
            Retry.NEVER,
            "pipeline "
                + reference
                + " changed since it was accepted (hash "
                + manifest.shortHash()
                + ", accepted "
                + (accepted.isEmpty()
                    ? "none"
                    : accepted.substring(0, Math.min(12, accepted.length())))
                + "): show it and enqueue it again",
            Usage.NONE,
            started,
            Optional.empty());
      }
      boundary.check(manifest);
    } catch (ConfigException | PipelineRefusedException e) {
      return run.end(Retry.NEVER, e.getMessage(), Usage.NONE, started, Optional.empty());
    }
    Worktree worktree;
    try {
      worktree = owner.worktrees().prepare(task);
    } catch (WorktreeDiskLimitException | GitException | java.io.UncheckedIOException e) {
      return run.end(
          Retry.RELEASE,
          "could not prepare the worktree: " + e.getMessage(),
          Usage.NONE,
          started,
          Optional.empty());
    }
    owner.annotate(
        task,
        Map.of(
            TaskFacts.BRANCH.key(),
            worktree.branch(),
            TaskFacts.WORKTREE.key(),
            worktree.path().toString()));
    run.onInterrupt(this::stopCurrent);
    run.armAttemptWatchdogs();
    PipelineRunner.Outcome outcome;
    Services services = new Services(worktree, manifest);
    try {
      outcome =
          new PipelineRunner(
                  manifest,
                  pipelines.operations(),
                  boundary,
                  config.limits().perTask(),
                  owner.timeSource())
              .run(Pipelines.inputsOf(task), new Journal(worktree), services);
    } catch (UsageLimitException e) {
      run.disarmWatchdogs();
      return run.end(
          Retry.RELEASE, e.getMessage(), services.usage, started, Optional.empty(), worktree);
    } finally {
      run.disarmWatchdogs();
    }
    Optional<String> prUrl =
        outcome.steps().values().stream()
            .map(r -> r.outputs().get("pr_url"))
            .filter(u -> u != null && !u.isEmpty())
            .findFirst();
    if (outcome.succeeded()) {
      Map<String, String> facts = new LinkedHashMap<>();
      TaskFacts.AGENT_SECONDS.put(facts, Duration.between(started, owner.now()).toSeconds());
      if (services.usage.totalTokens() > 0) {
        TaskFacts.TOKENS.put(facts, services.usage.totalTokens());
      }
      services.usage.costUsd().ifPresent(c -> TaskFacts.COST_USD.put(facts, c));
      try {
        WorkSummary.of(worktree).ifPresent(w -> facts.putAll(w.facts()));
      } catch (RuntimeException e) {
        LOG.warn("Task {}: could not read its diff: {}", task.id().shortId(), e.getMessage());
      }
      run.commitWorkInProgress(worktree);
      owner
          .queue()
          .complete(
              task.id(),
              owner.workerId(),
              owner.redact("pipeline " + manifest.name() + ": " + outcome.summary()),
              owner.redactValues(facts));
      owner.worktrees().remove(worktree);
      owner.worktrees().deleteBranchIfEmpty(worktree);
      return new TaskRun.Result(
          owner.queue().get(task.id()).orElse(task),
          AttemptOutcome.COMPLETED,
          "",
          services.usage,
          Duration.between(started, owner.now()),
          prUrl,
          false);
    }
    Optional<TaskRun.Interruption> why = run.interruption();
    if (why.isPresent()) {
      return run.end(
          why.get().retry,
          why.get().reason + " (" + outcome.summary() + ")",
          services.usage,
          started,
          prUrl,
          worktree);
    }
    // A failed step had its retries already: running the pipeline again would only repeat it.
    return run.end(Retry.NEVER, outcome.summary(), services.usage, started, prUrl, worktree);
  }

  private void stopCurrent() {
    AgentSession s = current.get();
    if (s != null) {
      s.cancel();
      run.arm(owner.now().plusSeconds(config.limits().cancelGraceSec()), s::close);
    }
  }

  /** The task's metadata as the pipeline's journal: each record written before the next step. */
  private final class Journal implements PipelineRunner.Journal {
    private final Worktree worktree;
    private final Map<String, StepRecord> steps = new LinkedHashMap<>(StepRecord.on(task));
    private final Map<String, StepRecord> effects = new LinkedHashMap<>(StepRecord.effectsOn(task));

    Journal(Worktree worktree) {
      this.worktree = worktree;
    }

    @Override
    public Map<String, StepRecord> steps() {
      return Map.copyOf(steps);
    }

    @Override
    public void starting(String stepId) {
      owner.annotate(task, TaskFacts.PIPELINE_STEP.of(stepId));
    }

    @Override
    public void finished(String stepId, StepRecord record) {
      // The step's work is on the branch before it counts as done: a resumed pipeline gets a fresh
      // worktree of the branch and must find it there.
      try {
        worktree.commitLeftovers(task, " (step " + stepId + ")");
      } catch (RuntimeException e) {
        LOG.warn(
            "Task {}: could not commit step {}: {}", task.id().shortId(), stepId, e.getMessage());
      }
      steps.put(stepId, record);
      owner.annotate(task, TaskFacts.PIPELINE_STEPS.of(StepRecord.write(steps)));
    }

    @Override
    public Map<String, StepRecord> effects() {
      return Map.copyOf(effects);
    }

    @Override
    public void effect(String key, StepRecord record) {
      effects.put(key, record);
      owner.annotate(task, TaskFacts.PIPELINE_EFFECTS.of(StepRecord.write(effects)));
    }
  }

  /** Overnight's services for the steps, on the pipeline's worktree. */
  private final class Services implements PipelineRunner.Services {
    private final Worktree worktree;
    private final PipelineManifest manifest;
    private Usage usage = Usage.NONE;

    Services(Worktree worktree, PipelineManifest manifest) {
      this.worktree = worktree;
      this.manifest = manifest;
    }

    @Override
    public Path worktree() {
      return worktree.path();
    }

    @Override
    public String branch() {
      return worktree.branch();
    }

    @Override
    public String taskId() {
      return task.id().shortId();
    }

    @Override
    public boolean isCancelled() {
      return run.interruption().isPresent() || cycle.isCancelled();
    }

    @Override
    public StepResult agentTurn(
        Optional<String> agentId,
        Set<String> avoid,
        String prompt,
        PermissionMode mode,
        Optional<Duration> timeLimit) {
      Optional<AgentProvider> agent =
          agentId.isPresent()
              ? owner.roster().exactly(agentId.get(), owner.now())
              : avoid.isEmpty()
                  ? owner
                      .roster()
                      .pick(task.agentId().or(() -> Optional.of(defaultAgent.id())), owner.now())
                  : owner.roster().pickAvoiding(avoid, owner.now());
      if (agent.isEmpty()) {
        return StepResult.unavailable(
            agentId.map(a -> "agent " + a + " is not available").orElse("no agent is available"));
      }
      AgentProvider a = agent.get();
      AgentSession s;
      try {
        s = a.open(request(mode));
      } catch (UsageLimitException e) {
        owner.parking().parkForLimit(a.id(), e);
        throw e;
      } catch (AgentException e) {
        return StepResult.failed(a.id() + " did not start: " + e.withOutput());
      }
      owner.parking().agentStarted(a.id());
      current.set(s);
      owner.annotate(
          task, Map.of(TaskFacts.AGENT.key(), a.id(), TaskFacts.SESSION_ID.key(), s.sessionId()));
      Messages messages = new Messages(s, a.id());
      s.updates().subscribe(messages);
      AtomicBoolean overTime = new AtomicBoolean();
      timeLimit.ifPresent(
          limit ->
              run.arm(
                  owner.now().plus(limit),
                  () -> {
                    if (current.get() == s) {
                      overTime.set(true);
                      s.cancel();
                    }
                  }));
      AgentOutcome outcome;
      try {
        if (isCancelled()) {
          outcome = new AgentOutcome(StopReason.CANCELLED, Usage.NONE);
        } else {
          outcome = TaskRun.await(s.prompt(prompt));
        }
      } catch (UsageLimitException e) {
        owner.parking().parkForLimit(a.id(), e);
        throw e;
      } catch (OrchestrationException e) {
        return StepResult.failed(a.id() + ": " + e.getMessage());
      } finally {
        current.set(null);
        s.close();
        owner.sessionEnded(s.sessionId());
      }
      usage = usage.plus(outcome.usage());
      String message = messages.last();
      Map<String, String> outputs = new LinkedHashMap<>();
      outputs.put("agent", a.id());
      outputs.put("message", message);
      if (overTime.get()) {
        return new StepResult(
            StepStatus.FAILED,
            a.id() + " ran over the step's time budget",
            outputs,
            outcome.usage());
      }
      if (outcome.stopReason() != StopReason.END_TURN) {
        return new StepResult(
            StepStatus.FAILED,
            a.id() + " stopped: " + outcome.stopReason().wireName(),
            outputs,
            outcome.usage());
      }
      String first = message.lines().filter(l -> !l.isBlank()).findFirst().orElse("done");
      return new StepResult(
          StepStatus.SUCCEEDED,
          a.id() + ": " + (first.length() > 200 ? first.substring(0, 199) + "…" : first),
          outputs,
          outcome.usage());
    }

    private SessionRequest request(PermissionMode mode) {
      return SessionRequest.builder(worktree.path())
          .permissionPolicy(PermissionPolicy.of(mode, config.permissions().allowFetch()))
          .mcpServers(config.mcpServers())
          .transcriptDirectory(owner.stateDir().resolve("transcripts"))
          .hiddenPath(owner.stateDir())
          .taskId(task.id())
          .cancelGrace(Duration.ofSeconds(config.limits().cancelGraceSec()))
          .build();
    }

    @Override
    public StepResult command(List<String> command, Duration timeout) {
      CommandResult r = CommandRunner.system().run(command, worktree.path(), Map.of(), timeout);
      Map<String, String> outputs = new LinkedHashMap<>();
      outputs.put("exit_code", String.valueOf(r.exitCode()));
      outputs.put("output", r.tail(60));
      String line = String.join(" ", command);
      return r.succeeded()
          ? new StepResult(StepStatus.SUCCEEDED, line + ": exit 0", outputs, Usage.NONE)
          : new StepResult(StepStatus.FAILED, line + ": " + r.describe(), outputs, Usage.NONE);
    }

    @Override
    public StepResult qualityGate() {
      // What the agents left uncommitted is part of what the gate judges, and of the branch.
      run.commitWorkInProgress(worktree);
      Optional<GateResult> gate = owner.gates().run(worktree.path(), 1);
      if (gate.isEmpty()) {
        return StepResult.succeeded("no quality gate is configured", Map.of());
      }
      GateResult g = gate.get();
      owner.annotate(
          task,
          Map.of(
              TaskFacts.GATE.key(),
              g.summary(),
              TaskFacts.GATE_OUTPUT.key(),
              tail(g.outputTail())));
      Map<String, String> outputs =
          Map.of("output", g.outputTail(), "exit_code", String.valueOf(g.exitCode()));
      return new StepResult(
          g.passed() ? StepStatus.SUCCEEDED : StepStatus.FAILED, g.summary(), outputs, Usage.NONE);
    }

    @Override
    public StepResult openPullRequest(String title, String body) {
      Task titled =
          title.isBlank() ? task : task.toBuilder().title(TaskSpec.titleOf(title)).build();
      Optional<GateResult> gate = Optional.empty();
      // The base may have moved while the steps ran: the pull request opens up to date with it,
      // by the same rules as a task's without a pipeline.
      Optional<SyncBeforeOpening.Synced> synced = owner.syncBeforeOpening(worktree, titled);
      Task toPublish = synced.map(done -> done.on(titled)).orElse(titled);
      PublishResult publishedAsIs =
          owner.publisher().publish(worktree, toPublish, gate, owner.redact(body));
      PublishResult p = synced.map(done -> done.ownCommitsOf(publishedAsIs)).orElse(publishedAsIs);
      Map<String, String> facts =
          new LinkedHashMap<>(synced.map(SyncBeforeOpening.Synced::facts).orElse(Map.of()));
      TaskFacts.BRANCH.put(facts, p.branch());
      TaskFacts.COMMITS.put(facts, (long) p.commits());
      TaskFacts.HEAD.put(facts, p.head());
      TaskFacts.PUSHED.put(facts, p.pushed());
      p.pushNote().ifPresent(n -> TaskFacts.PUSH_NOTE.put(facts, n));
      p.prUrl().ifPresent(u -> TaskFacts.PR_URL.put(facts, u));
      p.prNote().ifPresent(n -> TaskFacts.PR_NOTE.put(facts, n));
      owner.annotate(task, facts);
      synced.ifPresent(
          done -> owner.toldOfSync(owner.queue().get(task.id()).orElse(task), done.result()));
      Map<String, String> outputs = new LinkedHashMap<>();
      outputs.put("branch", p.branch());
      outputs.put("head", p.head());
      p.prUrl().ifPresent(u -> outputs.put("pr_url", u));
      String summary =
          p.commits()
              + (p.commits() == 1 ? " commit" : " commits")
              + " on "
              + p.branch()
              + p.prUrl()
                  .map(u -> ", PR " + u)
                  .orElse(p.prNote().map(n -> " (" + n + ")").orElse(""));
      // A conflict's turn is this step's work: the task's and the night's totals hold it.
      Usage spent =
          synced
              .map(SyncBeforeOpening.Synced::result)
              .filter(SyncResult::spent)
              .map(SyncResult::usage)
              .orElse(Usage.NONE);
      return new StepResult(StepStatus.SUCCEEDED, summary, outputs, spent);
    }

    @Override
    public StepResult waitForChecks(Duration timeout) {
      Optional<ChecksLookup> checks = owner.pipelines().flatMap(Pipelines::checks);
      if (checks.isEmpty()) {
        return PipelineRunner.Services.super.waitForChecks(timeout);
      }
      ChecksWait.Result r;
      try {
        r =
            ChecksWait.of(checks.get(), owner.timeSource(), ChecksWait.DEFAULT_INTERVAL)
                .await(worktree.branch(), timeout, this::isCancelled);
      } catch (OrchestrationException e) {
        return StepResult.failed(owner.redact(e.getMessage()));
      }
      ChecksOutcome o = r.outcome();
      Map<String, String> outputs = new LinkedHashMap<>();
      switch (o.state()) {
        case PASSED -> {
          outputs.put("conclusion", "passed");
          return StepResult.succeeded("the checks passed", outputs);
        }
        case FAILED -> {
          outputs.put("conclusion", "failed");
          outputs.put("failing_check", o.failingCheck().orElse(""));
          outputs.put("check_summary", owner.redact(o.summary().orElse("")));
          return new StepResult(
              StepStatus.FAILED,
              "check "
                  + o.failingCheck().orElse("")
                  + " failed"
                  + o.summary().map(s -> ": " + owner.redact(s)).orElse(""),
              outputs,
              Usage.NONE);
        }
        default -> {
          outputs.put("conclusion", r.timedOut() ? "timed_out" : "cancelled");
          return new StepResult(
              StepStatus.FAILED,
              r.timedOut()
                  ? "the checks had not finished after " + timeout.toSeconds() + " s"
                  : "stopped while waiting for the checks",
              outputs,
              Usage.NONE);
        }
      }
    }

    @Override
    public StepResult notify(String message) {
      String said = owner.redact(message);
      // Recorded with the step's outcome too, which the report shows.
      LOG.info("Pipeline {} of task {}: {}", manifest.name(), task.id().shortId(), said);
      Optional<Consumer<Notification>> notices = owner.pipelines().flatMap(Pipelines::notices);
      notices.ifPresent(
          n ->
              n.accept(
                  new Notification(
                      NotificationKind.PIPELINE,
                      Optional.empty(),
                      config.id(),
                      owner.now(),
                      "Overnight " + config.id() + ": pipeline " + manifest.name(),
                      said,
                      List.of(
                          new NotificationItem(
                              Optional.of(task.id().value()),
                              task.title(),
                              "running",
                              said,
                              TaskFacts.PR_URL.from(owner.queue().get(task.id()).orElse(task)))),
                      Optional.empty())));
      Map<String, String> outputs = new LinkedHashMap<>();
      outputs.put("message", message);
      outputs.put("notified", notices.isPresent() ? "true" : "false");
      return StepResult.succeeded(message, outputs);
    }
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
  }

  /** Forwards a step's session updates to the hub and keeps the agent's last message. */
  private final class Messages implements Flow.Subscriber<SessionUpdate> {
    private final AgentSession s;
    private final String agentId;
    private final StringBuilder last = new StringBuilder();
    private boolean open;

    Messages(AgentSession s, String agentId) {
      this.s = s;
      this.agentId = agentId;
    }

    synchronized String last() {
      return last.toString().strip();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(SessionUpdate update) {
      synchronized (this) {
        if (update instanceof SessionUpdate.AgentMessageChunk chunk
            && chunk.content() instanceof ContentBlock.Text text) {
          if (!open) {
            last.setLength(0);
            open = true;
          }
          last.append(text.text());
        } else if (update instanceof SessionUpdate.ToolCall
            || update instanceof SessionUpdate.ToolCallUpdate) {
          open = false;
        }
      }
      owner.publish(
          new SessionEvent(
              s.sessionId(),
              agentId,
              Optional.of(task.id()),
              sequence.incrementAndGet(),
              owner.now(),
              update));
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }
}
