package dev.overnight.benchmarks;

import dev.overnight.acp.AcpAgentProvider;
import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.BuiltInAgents;
import dev.overnight.api.config.AgentPlanning;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.Evidence;
import dev.overnight.api.decision.Signal;
import dev.overnight.core.decision.AgentDecisionEngine;
import dev.overnight.core.decision.AgentPlan;
import dev.overnight.core.decision.EvidenceDecisionEngine;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.Discovery;
import dev.overnight.core.time.SystemTimeSource;
import dev.overnight.fakes.ScriptedAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent planner ({@code decision.engine: agent}) beside the decisions backtest.
 *
 * <ul>
 *   <li><b>Overhead</b>, always: planning runs through a real read-only ACP session with the
 *       scripted agent (a JVM of its own, answering a fixed plan), on a small generated repository
 *       with 30 candidates: wall time per planning run (median), bytes of prompt sent, and whether
 *       an answer that is no plan falls back to the evidence engine's decision. Summary line {@code
 *       planning: plan_ms=… prompt_kb=… fallback_ok=…}.
 *   <li><b>The backtest through the agent</b>, with {@code --engine agent}: the first logged-in
 *       agent among Claude Code and Codex plans each cut, judged like the evidence engine. When no
 *       agent is logged in it says so, and which and why.
 * </ul>
 */
final class PlanningBenchmark {
  private static final int RUNS = 5;

  private PlanningBenchmark() {}

  /** The first agent that can plan here, or why none can. */
  static Optional<AgentProvider> loggedInAgent(Path tmp, List<String> why) {
    OrchestrationConfig cfg =
        OrchestrationConfig.builder(ConfigValue.of(tmp.toString())).id("backtest-agent").build();
    Discovery discovery = OvernightRuntime.discover(cfg, new StatePaths(tmp.resolve("state")));
    for (String id : List.of(BuiltInAgents.CLAUDE_CODE, BuiltInAgents.CODEX)) {
      Optional<AgentProvider> agent = discovery.agent(id);
      Availability a =
          agent.map(AgentProvider::availability).orElse(Availability.unavailable("not found", ""));
      if (a.available()) {
        return agent;
      }
      why.add(id + ": " + a);
    }
    return Optional.empty();
  }

  /** The agent's plan at a cut, as proposals the backtest judges. */
  static List<DecisionsBenchmark.Proposal> agentProposals(
      AgentProvider agent, DecisionContext ctx) {
    try (SystemTimeSource time = SystemTimeSource.create()) {
      AgentDecisionEngine engine =
          new AgentDecisionEngine(
              new AgentPlanning(
                  Optional.of(agent.id()),
                  AgentPlanning.defaults().budget(),
                  DecisionsBenchmark.TOP),
              id -> id.equals(agent.id()) ? Optional.of(agent) : Optional.empty(),
              time,
              List.of());
      AgentPlan plan = engine.compare(ctx).plan();
      List<DecisionsBenchmark.Proposal> out = new ArrayList<>();
      for (AgentPlan.PlannedTask t : plan.tasks()) {
        out.add(
            new DecisionsBenchmark.Proposal(
                t.kind() == CandidateKind.TESTS || t.kind() == CandidateKind.REGRESSION_TEST,
                t.files().stream().findFirst(),
                t.title()));
      }
      plan.fallbackReason().ifPresent(r -> System.out.println("    agent plan not used: " + r));
      return out;
    }
  }

  /** Times planning runs with the scripted agent and checks the fallback; publishes "planning". */
  static void overhead(Path tmp) throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("planning-repo"));
    DecisionsBenchmark.sh(ws, "git", "init", "-q", "-b", "main");
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String file = "src/app/Module" + i + ".java";
      Files.createDirectories(ws.resolve("src/app"));
      Files.writeString(ws.resolve(file), "class Module" + i + " {}\n");
      candidates.add(
          new Candidate(
              "tests",
              CandidateKind.TESTS,
              List.of(file),
              "Add tests for Module" + i,
              "Add tests for " + file + ".",
              0.5,
              List.of(new Signal("churn", i + " commits", 0.5)),
              List.of(
                  Evidence.ofFile("commit", "abc" + i + " change Module" + i, file),
                  Evidence.ofFile("size", 40 + i + " lines", file))));
    }
    Files.writeString(ws.resolve("README.md"), "# Modules\n" + "Thirty modules.\n".repeat(100));
    DecisionsBenchmark.sh(ws, "git", "add", "-A");
    DecisionsBenchmark.sh(
        ws,
        "git",
        "-c",
        "user.name=Bench",
        "-c",
        "user.email=bench@example.com",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "-m",
        "modules");
    OrchestrationConfig cfg =
        OrchestrationConfig.builder(ConfigValue.of(ws.toString()))
            .id("planning")
            .decision(new DecisionSettings(AgentDecisionEngine.NAME, 30, 20, List.of()))
            .build();
    DecisionContext ctx =
        new DecisionContext(
            cfg,
            List.of(),
            List.of(),
            Map.of(
                BuiltInAgents.CLAUDE_CODE, Availability.available("bench"),
                BuiltInAgents.CODEX, Availability.available("bench")),
            java.util.Set.of(),
            java.util.Set.of(),
            Instant.now(),
            Optional.empty(),
            candidates,
            List.of(),
            Optional.empty());
    String plan =
        "{\"tasks\":[{\"kind\":\"tests\",\"files\":[\"src/app/Module7.java\"],"
            + "\"title\":\"Test Module7\",\"prompt\":\"Add tests for Module7.\","
            + "\"acceptance_check\":\"Module7Test passes.\",\"rationale\":\"It changed most.\","
            + "\"expected_size\":\"small\"}]}";
    List<Long> times = new ArrayList<>();
    long promptBytes = 0;
    boolean planned = true;
    for (int i = 0; i < RUNS; i++) {
      AgentPlan p = planOnce(cfg, ctx, answering(plan)).plan();
      times.add(p.usage().agentTime().toMillis());
      promptBytes = p.promptBytes();
      planned &= p.used() && p.tasks().size() == 1;
    }
    times.sort(Long::compare);
    AgentDecisionEngine.Comparison broken = planOnce(cfg, ctx, answering("I would not plan."));
    String evidence =
        new EvidenceDecisionEngine().decide(ctx).map(d -> d.prompt()).orElse("(none)");
    boolean fallbackOk =
        broken.plan().fallbackReason().isPresent()
            && broken.explanation().decision().map(d -> d.prompt()).orElse("").equals(evidence);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("plan_ms", times.get(times.size() / 2));
    summary.put("prompt_kb", Math.round(promptBytes / 1024.0 * 10) / 10.0);
    summary.put("fallback_ok", fallbackOk && planned);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("runs_ms", times);
    details.put("prompt_bytes", promptBytes);
    details.put("candidates", candidates.size());
    details.put("fallback_reason", broken.plan().fallbackReason().orElse(""));
    details.put(
        "method",
        "median wall time of "
            + RUNS
            + " planning runs (agent start, read-only session, one prompt, answer read and"
            + " validated) with the scripted ACP agent; fallback_ok: an answer that is no plan"
            + " yields the evidence engine's decision, and every timed run used its plan");
    Results.publish("planning", summary, details);
  }

  private static AcpAgentProvider answering(String text) {
    String script =
        OvernightJson.write(
            OvernightJson.object()
                .set(
                    "steps",
                    OvernightJson.array()
                        .add(OvernightJson.object().put("message", text))
                        .add(OvernightJson.object().put("stop", "end_turn"))));
    return AcpAgentProvider.builder("scripted-planner")
        .agentCommand(ScriptedAgent.command("--script-json", script))
        .build();
  }

  private static AgentDecisionEngine.Comparison planOnce(
      OrchestrationConfig cfg, DecisionContext ctx, AgentProvider agent) {
    try (SystemTimeSource time = SystemTimeSource.create()) {
      AgentDecisionEngine engine =
          new AgentDecisionEngine(
              new AgentPlanning(Optional.of(agent.id()), AgentPlanning.defaults().budget(), 5),
              id -> Optional.of(agent),
              time,
              List.of());
      return engine.compare(ctx);
    }
  }
}
