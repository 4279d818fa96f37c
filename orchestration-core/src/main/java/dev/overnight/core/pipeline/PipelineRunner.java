package dev.overnight.core.pipeline;

import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.pipeline.PipelineOperation;
import dev.overnight.api.pipeline.StepContext;
import dev.overnight.api.pipeline.StepResult;
import dev.overnight.api.pipeline.StepStatus;
import dev.overnight.core.pipeline.internal.Templates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline's steps in order, for one task: conditions on earlier outcomes, retries, the
 * budget of each step and of the whole pipeline, templates over inputs and earlier outputs.
 *
 * <p>Resuming: every finished step is recorded in the {@link Journal} before the next one starts,
 * and a run begins with the first step the journal does not hold, so a pipeline stopped mid-way (a
 * crash, Overnight stopping) starts again at the step that was running and never runs a finished
 * one again. A side effect inside a step goes through {@link StepContext#once}, which the journal
 * records too, so even the step that was running does not repeat an effect it had completed.
 *
 * <p>Every service a step uses is checked against the {@link TrustBoundary} here, so an embedder's
 * operation is bounded like the built-in ones.
 *
 * <p>Not thread-safe: one runner runs one pipeline on one thread; {@link #run} blocks until the
 * pipeline ends or a step sees the {@link Services#isCancelled() cancellation}.
 *
 * @since 0.1.0
 */
public final class PipelineRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

  /** Where a pipeline's progress is recorded: the task's metadata, durable before it returns. */
  public interface Journal {
    /** The finished steps, by id. */
    Map<String, StepRecord> steps();

    /** Notes the step about to run. */
    void starting(String stepId);

    /** Records a finished step; once this returns, a resumed pipeline skips it. */
    void finished(String stepId, StepRecord record);

    /** The side effects done, by idempotency key. */
    Map<String, StepRecord> effects();

    /** Records a side effect done; once this returns, it is never done again for its key. */
    void effect(String key, StepRecord record);
  }

  /**
   * What steps use, provided by whoever runs the pipeline (the coordinator): the policy checks are
   * made before these are called.
   */
  public interface Services {
    /** The pipeline's worktree. */
    Path worktree();

    /** The pipeline's branch. */
    String branch();

    /** The task's short id. */
    String taskId();

    /** Whether the pipeline must stop. */
    boolean isCancelled();

    /**
     * One agent turn in a new session.
     *
     * @param agentId the agent, or empty for the preferred available one that is not in {@code
     *     avoid} (when there is such an agent)
     * @param timeLimit at most this long, if bounded
     */
    StepResult agentTurn(
        Optional<String> agentId,
        Set<String> avoid,
        String prompt,
        PermissionMode mode,
        Optional<Duration> timeLimit);

    /** Runs an allowed program in the worktree. */
    StepResult command(List<String> command, Duration timeout);

    /** The config's quality gate in the worktree. */
    StepResult qualityGate();

    /** Commits, pushes and opens a pull request. */
    StepResult openPullRequest(String title, String body);

    /** Records a message for whoever follows the night. */
    StepResult notify(String message);

    /**
     * Waits up to {@code timeout} for the checks of the branch's pull request (default:
     * unavailable, as where no forge can be read).
     */
    default StepResult waitForChecks(Duration timeout) {
      return StepResult.unavailable(
          "waiting for CI is not available: Overnight reads checks from GitHub's REST API, which"
              + " needs a GitHub remote and GH_TOKEN (GH_ENTERPRISE_TOKEN for an Enterprise host)");
    }
  }

  /**
   * How a run ended.
   *
   * @param succeeded whether every step succeeded, was skipped, or failed with {@code
   *     continue_on_failure}
   * @param summary one line: the failed step and why, or how many steps ran
   * @param steps every step recorded, by id
   * @param usage what this run's agent turns used (resumed steps not counted again)
   */
  public record Outcome(
      boolean succeeded, String summary, Map<String, StepRecord> steps, Usage usage) {}

  private final PipelineManifest manifest;
  private final Map<String, PipelineOperation> operations;
  private final TrustBoundary boundary;
  private final SpendingLimit perTask;
  private final TimeSource time;

  /**
   * A runner for {@code manifest}.
   *
   * @param operations the operations by name
   * @param perTask the config's per-task limit, which bounds the pipeline as a whole too
   */
  public PipelineRunner(
      PipelineManifest manifest,
      Map<String, PipelineOperation> operations,
      TrustBoundary boundary,
      SpendingLimit perTask,
      TimeSource time) {
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.operations = Map.copyOf(operations);
    this.boundary = Objects.requireNonNull(boundary, "boundary");
    this.perTask = Objects.requireNonNull(perTask, "perTask");
    this.time = Objects.requireNonNull(time, "time");
  }

  /**
   * The inputs a run gets: those given, then the defaults.
   *
   * @throws ConfigException naming each required input not given and each given one not declared
   */
  public static Map<String, String> inputs(PipelineManifest manifest, Map<String, String> given) {
    Map<String, String> out = new LinkedHashMap<>();
    List<ConfigProblem> problems = new ArrayList<>();
    for (PipelineManifest.Input i : manifest.inputs()) {
      Optional<String> v = Optional.ofNullable(given.get(i.name())).or(i::defaultValue);
      if (v.isPresent()) {
        out.put(i.name(), v.get());
      } else {
        problems.add(new ConfigProblem("/inputs/" + i.name(), "is required: " + i.description()));
      }
    }
    for (String name : given.keySet()) {
      if (manifest.inputs().stream().noneMatch(i -> i.name().equals(name))) {
        problems.add(
            new ConfigProblem("/inputs/" + name, "is not an input of pipeline " + manifest.name()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException("inputs of pipeline " + manifest.name(), problems);
    }
    return out;
  }

  /** Runs the steps the journal does not hold yet. */
  public Outcome run(Map<String, String> inputs, Journal journal, Services services) {
    Map<String, StepRecord> done = new LinkedHashMap<>(journal.steps());
    Spent spent = new Spent();
    done.values().forEach(spent::add);
    Usage usage = Usage.NONE;
    SpendingLimit budget = tighter(manifest.budget(), perTask);
    String lastAgent = null;
    int ran = 0;
    for (PipelineManifest.Step step : manifest.steps()) {
      StepRecord recorded = done.get(step.id());
      if (recorded != null) {
        if (!recorded.status().equals(StepStatus.SUCCEEDED)
            && !recorded.status().equals(StepStatus.SKIPPED)
            && !step.continueOnFailure()) {
          return new Outcome(false, failure(step, recorded), done, usage);
        }
        continue;
      }
      if (services.isCancelled()) {
        return new Outcome(false, "stopped before step " + step.id(), done, usage);
      }
      Optional<String> over = spent.over(budget);
      if (over.isPresent()) {
        return new Outcome(
            false,
            "the pipeline's budget is spent (" + over.get() + ") before step " + step.id(),
            done,
            usage);
      }
      if (step.when().isPresent()
          && !step.when()
              .get()
              .holds(
                  Optional.ofNullable(done.get(step.when().get().step()))
                      .map(StepRecord::status))) {
        StepRecord skipped =
            new StepRecord(
                StepStatus.SKIPPED,
                "skipped: " + step.when().get() + " is false",
                Map.of(),
                0,
                0,
                Optional.empty(),
                0);
        journal.finished(step.id(), skipped);
        done.put(step.id(), skipped);
        continue;
      }
      journal.starting(step.id());
      Instant started = time.instant();
      StepResult result = null;
      int attempt = 0;
      Context context = null;
      while (attempt <= step.retries()) {
        attempt++;
        context =
            new Context(step, attempt, inputs, done, journal, services, budget, spent, lastAgent);
        result = runOnce(step, context);
        if (result.status() == StepStatus.SUCCEEDED
            || result.status() == StepStatus.UNAVAILABLE
            || services.isCancelled()
            || context.overBudget) {
          break;
        }
        LOG.info("Step {} failed (try {}): {}", step.id(), attempt, result.summary());
      }
      lastAgent = context.agentUsed.orElse(lastAgent);
      usage = usage.plus(result.usage());
      long seconds = Duration.between(started, time.instant()).toSeconds();
      if (services.isCancelled() && result.status() != StepStatus.SUCCEEDED) {
        // Stopped from outside: not the step's verdict, so it runs again when the pipeline resumes.
        return new Outcome(false, "stopped during step " + step.id(), done, usage);
      }
      StepRecord record = StepRecord.of(result, attempt, seconds);
      journal.finished(step.id(), record);
      done.put(step.id(), record);
      spent.add(record);
      ran++;
      if (!result.ok() && !step.continueOnFailure()) {
        return new Outcome(false, failure(step, record), done, usage);
      }
    }
    return new Outcome(
        true,
        manifest.steps().size()
            + (manifest.steps().size() == 1 ? " step" : " steps")
            + " done"
            + (ran < manifest.steps().size() ? " (" + ran + " in this run)" : ""),
        done,
        usage);
  }

  private StepResult runOnce(PipelineManifest.Step step, Context context) {
    PipelineOperation op = operations.get(step.op());
    if (op == null) {
      return StepResult.unavailable("no operation \"" + step.op() + "\" is installed");
    }
    StepResult r;
    try {
      r = op.run(context);
    } catch (RuntimeException e) {
      r = StepResult.failed(step.op() + " failed: " + e.getMessage());
    }
    Optional<String> over = overStep(step.budget(), r.usage());
    if (over.isPresent() && r.status() == StepStatus.SUCCEEDED) {
      context.overBudget = true;
      return new StepResult(
          StepStatus.FAILED, "over its budget: " + over.get(), r.outputs(), r.usage());
    }
    return r;
  }

  private static String failure(PipelineManifest.Step step, StepRecord r) {
    return "step " + step.id() + " " + r.status().wireName() + ": " + r.summary();
  }

  private static Optional<String> overStep(SpendingLimit limit, Usage usage) {
    if (limit.tokens().filter(t -> usage.totalTokens() > t).isPresent()) {
      return Optional.of(usage.totalTokens() + " tokens of " + limit.tokens().get());
    }
    if (limit.costUsd().filter(c -> usage.costUsd().orElse(0.0) > c).isPresent()) {
      return Optional.of("$" + usage.costUsd().get() + " of $" + limit.costUsd().get());
    }
    return Optional.empty();
  }

  private static SpendingLimit tighter(SpendingLimit a, SpendingLimit b) {
    return new SpendingLimit(
        min(a.tokens(), b.tokens()),
        min(a.costUsd(), b.costUsd()),
        min(a.agentSeconds(), b.agentSeconds()));
  }

  private static <T extends Comparable<T>> Optional<T> min(Optional<T> a, Optional<T> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
  }

  /** What the pipeline has spent, resumed steps included. */
  private static final class Spent {
    long tokens;
    double cost;
    long seconds;

    void add(StepRecord r) {
      tokens += r.tokens();
      cost += r.costUsd().orElse(0.0);
      seconds += r.seconds();
    }

    Optional<String> over(SpendingLimit limit) {
      if (limit.tokens().filter(t -> tokens >= t).isPresent()) {
        return Optional.of(tokens + " tokens of " + limit.tokens().get());
      }
      if (limit.costUsd().filter(c -> cost >= c).isPresent()) {
        return Optional.of("$" + cost + " of $" + limit.costUsd().get());
      }
      if (limit.agentSeconds().filter(s -> seconds >= s).isPresent()) {
        return Optional.of(seconds + " seconds of " + limit.agentSeconds().get());
      }
      return Optional.empty();
    }

    Optional<Duration> left(SpendingLimit limit) {
      return limit.agentSeconds().map(s -> Duration.ofSeconds(Math.max(1, s - seconds)));
    }
  }

  /** One try of one step: its parameters filled in and the services bounded by policy. */
  private final class Context implements StepContext {
    private final PipelineManifest.Step step;
    private final int attempt;
    private final Map<String, String> inputs;
    private final Map<String, String> parameters;
    private final Journal journal;
    private final Services services;
    private final SpendingLimit budget;
    private final Spent spent;
    private final Optional<String> lastAgent;
    Optional<String> agentUsed = Optional.empty();
    boolean overBudget;

    Context(
        PipelineManifest.Step step,
        int attempt,
        Map<String, String> inputs,
        Map<String, StepRecord> done,
        Journal journal,
        Services services,
        SpendingLimit budget,
        Spent spent,
        String lastAgent) {
      this.step = step;
      this.attempt = attempt;
      this.inputs = Map.copyOf(inputs);
      Map<String, String> params = new LinkedHashMap<>();
      step.with()
          .forEach(
              (k, v) ->
                  params.put(
                      k,
                      Templates.render(
                          v,
                          inputs,
                          id ->
                              Optional.ofNullable(done.get(id)).map(StepRecord::templateValues))));
      this.parameters = Map.copyOf(params);
      this.journal = journal;
      this.services = services;
      this.budget = budget;
      this.spent = spent;
      this.lastAgent = Optional.ofNullable(lastAgent);
    }

    @Override
    public String stepId() {
      return step.id();
    }

    @Override
    public String taskId() {
      return services.taskId();
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public Map<String, String> parameters() {
      return parameters;
    }

    @Override
    public Path worktree() {
      return services.worktree();
    }

    @Override
    public String branch() {
      return services.branch();
    }

    @Override
    public Map<String, String> inputs() {
      return inputs;
    }

    @Override
    public boolean isCancelled() {
      return services.isCancelled();
    }

    @Override
    public StepResult agentTurn(Optional<String> agentId, String prompt, PermissionMode mode) {
      if (agentId.isPresent() && !boundary.allowsAgent(agentId.get())) {
        return StepResult.failed("agent \"" + agentId.get() + "\" is not allowed by the config");
      }
      PermissionMode allowed = boundary.modeFor(manifest, step, mode);
      Optional<Duration> limit =
          min(step.budget().agentSeconds().map(Duration::ofSeconds), spent.left(budget));
      // A read-only turn is a second opinion: another agent than the one that wrote, when there is
      // one.
      Set<String> avoid =
          allowed == PermissionMode.READ_ONLY && agentId.isEmpty()
              ? lastAgent.map(Set::of).orElse(Set.of())
              : Set.of();
      StepResult r = services.agentTurn(agentId, avoid, prompt, allowed, limit);
      Optional.ofNullable(r.outputs().get("agent")).ifPresent(a -> agentUsed = Optional.of(a));
      return r;
    }

    @Override
    public StepResult command(List<String> command, Duration timeout) {
      if (command.isEmpty() || !boundary.allowsProgram(command.get(0))) {
        return StepResult.failed(
            "program \""
                + (command.isEmpty() ? "" : command.get(0))
                + "\" is not allowed by the config (allowed: "
                + String.join(", ", boundary.programs())
                + ")");
      }
      return services.command(command, timeout);
    }

    @Override
    public StepResult qualityGate() {
      return services.qualityGate();
    }

    @Override
    public StepResult openPullRequest(String title, String body) {
      return services.openPullRequest(title, body);
    }

    @Override
    public StepResult notify(String message) {
      return services.notify(message);
    }

    @Override
    public StepResult waitForChecks(Duration timeout) {
      // Never past the step's own time budget, nor what the pipeline has left.
      Duration limit =
          min(step.budget().agentSeconds().map(Duration::ofSeconds), spent.left(budget))
              .filter(l -> l.compareTo(timeout) < 0)
              .orElse(timeout);
      return services.waitForChecks(limit);
    }

    @Override
    public StepResult once(String key, Supplier<StepResult> effect) {
      StepRecord done = journal.effects().get(key);
      if (done != null) {
        LOG.info("Step {}: {} was done already; not repeated", step.id(), key);
        return new StepResult(done.status(), done.summary(), done.outputs(), Usage.NONE);
      }
      StepResult r = effect.get();
      if (r.status() == StepStatus.SUCCEEDED) {
        journal.effect(key, StepRecord.of(r, attempt, 0));
      }
      return r;
    }
  }
}
