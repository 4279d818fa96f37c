package dev.overnight.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.AgentPreferences;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.pipeline.PipelineOperation;
import dev.overnight.api.pipeline.StepResult;
import dev.overnight.api.pipeline.StepStatus;
import dev.overnight.core.pipeline.internal.BuiltInOperations;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The runner's rules, with scripted services: conditions, retries, budgets, templates, policy. */
class PipelineRunnerTest {
  private static final Map<String, PipelineOperation> OPS = new LinkedHashMap<>();

  static {
    BuiltInOperations.all().forEach(o -> OPS.put(o.name(), o));
  }

  private static final PipelineLoader LOADER = PipelineLoader.of(OPS.values());

  private final ManualTimeSource time = ManualTimeSource.at("2026-11-25T01:00:00Z");

  private final OrchestrationConfig config =
      OrchestrationConfig.builder(ConfigValue.of("/tmp/ws"))
          .agentPreferences(new AgentPreferences(List.of("a"), List.of("a", "b")))
          .qualityGate(new QualityGate(Optional.of("make check"), 60, false, 0))
          .build();

  /** Services that answer from scripts and record what they were asked. */
  private final class Scripted implements PipelineRunner.Services {
    final Deque<StepResult> turns = new ArrayDeque<>();
    final Deque<StepResult> gates = new ArrayDeque<>();
    final List<String> calls = new ArrayList<>();
    Duration turnTakes = Duration.ZERO;

    @Override
    public Path worktree() {
      return Path.of("/tmp/wt");
    }

    @Override
    public String branch() {
      return "overnight/p";
    }

    @Override
    public String taskId() {
      return "t1";
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public StepResult agentTurn(
        Optional<String> agentId,
        Set<String> avoid,
        String prompt,
        PermissionMode mode,
        Optional<Duration> timeLimit) {
      calls.add(
          "turn "
              + agentId.orElse("-")
              + " "
              + mode.jsonName()
              + " avoid"
              + avoid
              + " limit"
              + timeLimit.map(Duration::toSeconds).orElse(-1L)
              + ": "
              + prompt);
      time.advance(turnTakes);
      return turns.isEmpty()
          ? StepResult.succeeded("ok", Map.of("agent", agentId.orElse("a")))
          : turns.pop();
    }

    @Override
    public StepResult command(List<String> command, Duration timeout) {
      calls.add("command " + command);
      return StepResult.succeeded("ran", Map.of("output", "built"));
    }

    @Override
    public StepResult qualityGate() {
      calls.add("gate");
      return gates.isEmpty() ? StepResult.succeeded("passed", Map.of()) : gates.pop();
    }

    @Override
    public StepResult openPullRequest(String title, String body) {
      calls.add("pr " + title);
      return StepResult.succeeded("opened", Map.of("pr_url", "u"));
    }

    @Override
    public StepResult notify(String message) {
      calls.add("notify " + message);
      return StepResult.succeeded(message, Map.of());
    }
  }

  /** The journal in memory. */
  private static final class Memory implements PipelineRunner.Journal {
    final Map<String, StepRecord> steps = new LinkedHashMap<>();
    final Map<String, StepRecord> effects = new LinkedHashMap<>();

    @Override
    public Map<String, StepRecord> steps() {
      return Map.copyOf(steps);
    }

    @Override
    public void starting(String stepId) {}

    @Override
    public void finished(String stepId, StepRecord record) {
      steps.put(stepId, record);
    }

    @Override
    public Map<String, StepRecord> effects() {
      return Map.copyOf(effects);
    }

    @Override
    public void effect(String key, StepRecord record) {
      effects.put(key, record);
    }
  }

  private PipelineRunner.Outcome run(
      String manifest, Map<String, String> inputs, Scripted services, Memory journal) {
    PipelineManifest m = LOADER.read("test", manifest);
    return new PipelineRunner(
            m, OPS, TrustBoundary.of(config, Set.of("a", "b")), SpendingLimit.unbounded(), time)
        .run(PipelineRunner.inputs(m, inputs), journal, services);
  }

  private static StepResult failed(String why) {
    return StepResult.failed(why);
  }

  @Test
  void conditionsSkipStepsAndTemplatesReadInputsAndEarlierOutputs() {
    Scripted s = new Scripted();
    s.gates.push(
        new StepResult(
            StepStatus.FAILED, "failed (exit 2)", Map.of("output", "3 tests failed"), Usage.NONE));
    Memory j = new Memory();

    PipelineRunner.Outcome o =
        run(
            """
            name: p
            inputs: {what: {}}
            steps:
              - {id: gate, op: quality_gate, continue_on_failure: true}
              - {id: fix, op: agent_turn, when: gate.failed, with: {prompt: "Fix ${inputs.what}: ${steps.gate.output} (${steps.gate.status})"}}
              - {id: praise, op: notify, when: gate.succeeded, with: {message: all good}}
              - {id: again, op: quality_gate, when: not gate.succeeded}
            """,
            Map.of("what", "the parser"),
            s,
            j);

    assertThat(o.succeeded()).as(o.summary()).isTrue();
    assertThat(s.calls)
        .containsExactly(
            "gate",
            "turn - unattended avoid[] limit-1: Fix the parser: 3 tests failed (failed)",
            "gate");
    assertThat(j.steps.get("praise").status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(j.steps.get("praise").summary()).isEqualTo("skipped: gate.succeeded is false");
  }

  @Test
  void aFailedStepIsRetriedThenStopsThePipelineUnlessItMayFail() {
    Scripted s = new Scripted();
    s.turns.add(failed("first try"));
    s.turns.add(failed("second try"));
    s.turns.add(failed("third try"));
    Memory j = new Memory();

    PipelineRunner.Outcome o =
        run(
            """
            name: p
            steps:
              - {id: write, op: agent_turn, retries: 2, with: {prompt: go}}
              - {id: pr, op: open_pr}
            """,
            Map.of(),
            s,
            j);

    assertThat(o.succeeded()).isFalse();
    assertThat(o.summary()).isEqualTo("step write failed: third try");
    assertThat(j.steps.get("write").attempts()).isEqualTo(3);
    assertThat(s.calls).hasSize(3).noneMatch(c -> c.startsWith("pr"));
  }

  @Test
  void aStepOverItsBudgetFailsAndThePipelineBudgetStopsTheNextStep() {
    Scripted s = new Scripted();
    s.turns.add(
        new StepResult(
            StepStatus.SUCCEEDED, "big", Map.of(), new Usage(900, 200, 0, 0, Optional.empty())));
    Memory j = new Memory();

    PipelineRunner.Outcome o =
        run(
            """
            name: p
            steps:
              - {id: big, op: agent_turn, retries: 3, budget: {tokens: 1000}, with: {prompt: go}}
            """,
            Map.of(),
            s,
            j);
    assertThat(o.summary()).isEqualTo("step big failed: over its budget: 1100 tokens of 1000");
    assertThat(s.calls).as("an overspent step is not tried again").hasSize(1);

    Scripted t = new Scripted();
    t.turnTakes = Duration.ofSeconds(90);
    Memory k = new Memory();
    PipelineRunner.Outcome p =
        run(
            """
            name: p
            budget: {agent_seconds: 120}
            steps:
              - {id: one, op: agent_turn, budget: {agent_seconds: 100}, with: {prompt: go}}
              - {id: two, op: agent_turn, with: {prompt: go}}
              - {id: three, op: agent_turn, with: {prompt: go}}
            """,
            Map.of(),
            t,
            k);
    assertThat(t.calls.get(0)).contains("limit100");
    assertThat(t.calls.get(1)).as("what is left of the pipeline's time").contains("limit30");
    assertThat(p.summary())
        .isEqualTo("the pipeline's budget is spent (180 seconds of 120) before step three");
  }

  @Test
  void aResumedRunSkipsRecordedStepsAndAnEffectDoneIsNotRepeated() {
    Memory j = new Memory();
    j.steps.put(
        "write", StepRecord.of(StepResult.succeeded("wrote", Map.of("message", "hi")), 1, 5));
    j.effects.put(
        "open_pr:pr",
        StepRecord.of(StepResult.succeeded("opened before", Map.of("pr_url", "u0")), 1, 0));
    Scripted s = new Scripted();

    PipelineRunner.Outcome o =
        run(
            """
            name: p
            steps:
              - {id: write, op: agent_turn, with: {prompt: go}}
              - {id: pr, op: open_pr, with: {title: "${steps.write.message}"}}
            """,
            Map.of(),
            s,
            j);

    assertThat(o.succeeded()).isTrue();
    assertThat(s.calls).isEmpty();
    assertThat(j.steps.get("pr").outputs()).containsEntry("pr_url", "u0");
  }

  @Test
  void policyHoldsForEveryOperationAndAReviewAsksForAnotherAgentReadOnly() {
    Scripted s = new Scripted();
    Memory j = new Memory();

    PipelineRunner.Outcome o =
        run(
            """
            name: p
            steps:
              - {id: write, op: agent_turn, with: {agent: a, prompt: go}}
              - {id: review, op: review}
              - {id: build, op: command, with: {run: "make all"}}
            """,
            Map.of(),
            s,
            j);

    assertThat(o.succeeded()).isTrue();
    assertThat(s.calls.get(1)).startsWith("turn - read_only avoid[a]");
    assertThat(s.calls.get(2)).isEqualTo("command [make, all]");
  }

  @Test
  void inputsMustBeGivenAndDeclared() {
    PipelineManifest m =
        LOADER.read(
            "t",
            "name: p\ninputs: {a: {description: the a}}\nsteps: [{id: g, op: quality_gate}]\n");

    assertThatThrownBy(() -> PipelineRunner.inputs(m, Map.of("b", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("/inputs/a: is required: the a")
        .hasMessageContaining("/inputs/b: is not an input of pipeline p");
  }
}
