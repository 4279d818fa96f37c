package dev.overnight.core.decision.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionExplanation;
import dev.overnight.api.decision.DecisionExplanation.AgentVerdict;
import dev.overnight.api.decision.DecisionExplanation.PassedOver;
import dev.overnight.api.decision.Exclusion;
import dev.overnight.api.decision.Signal;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.core.decision.AgentDecisionEngine;
import dev.overnight.core.decision.AgentPlan;
import dev.overnight.core.decision.DecisionInputs;
import dev.overnight.core.decision.EvidenceDecisionEngine;
import dev.overnight.core.decision.PlanReport;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.pipeline.PipelineManifest;
import dev.overnight.core.pipeline.PipelineProposals;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Renders a {@link Plan} as text for a terminal and as JSON for tools. */
public final class PlanRenderer {
  /** Passed-over candidates listed in text; JSON lists them all. */
  static final int MAX_PASSED_OVER = 20;

  /** Proposals listed in text; JSON lists them all. */
  static final int MAX_PROPOSALS = 10;

  private PlanRenderer() {}

  /** The plan as plain text. */
  public static String text(PlanReport plan) {
    DecisionExplanation e = plan.explanation();
    StringBuilder b = new StringBuilder();
    if (e.decision().isEmpty()) {
      if (e.summary().startsWith("nothing worth doing tonight")) {
        b.append("N").append(e.summary().substring(1)).append('\n');
      } else {
        b.append("Nothing to do: ")
            .append(e.summary().replaceFirst("^nothing to do: ", ""))
            .append('\n');
      }
    } else {
      Decision d = e.decision().get();
      b.append("Next task: ")
          .append(d.title())
          .append("   [")
          .append(d.path().key())
          .append(", confidence ")
          .append(format(d.confidence()))
          .append(", priority ")
          .append(d.priority().name().toLowerCase(Locale.ROOT))
          .append(", about ")
          .append(d.estimatedDuration().toMinutes())
          .append(" min]\n");
      d.targetFile()
          .ifPresent(
              f ->
                  line(
                      b,
                      "File",
                      f
                          + " ("
                          + touches(d.metadata().getOrDefault(TaskFacts.FILE_TOUCHES.key(), "?"))
                          + ")"));
      line(b, "Agent", agentLine(e, d));
      line(b, "Prompt", d.prompt());
      TaskFacts.PIPELINE.from(d.metadata()).ifPresent(ref -> pipelineLines(b, ref, d));
      line(b, "Why", d.rationale());
      line(b, "Op hash", d.toTaskSpec().opHash());
      b.append("\nSignals (weights add up to the confidence)\n");
      for (Signal s : d.signals()) {
        b.append(
            String.format(
                Locale.ROOT, "  %-16s %5s  %s%n", s.name(), format(s.weight()), s.value()));
      }
    }
    if (!e.agents().isEmpty()) {
      b.append("\nAgents\n");
      for (AgentVerdict v : e.agents()) {
        b.append(
            String.format(
                Locale.ROOT,
                "  %-14s %-12s %s%n",
                v.agentId(),
                v.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                v.reason()));
      }
    }
    if (!e.passedOver().isEmpty()) {
      b.append("\nPassed over (already done)\n");
      List<PassedOver> shown =
          e.passedOver().subList(0, Math.min(MAX_PASSED_OVER, e.passedOver().size()));
      for (PassedOver p : shown) {
        b.append(
            String.format(
                Locale.ROOT,
                "  %-12s %s%s  (op %s)%n",
                p.path().key(),
                p.title(),
                p.file().map(f -> " — " + f).orElse(""),
                p.opHash()));
      }
      if (shown.size() < e.passedOver().size()) {
        b.append("  … and ").append(e.passedOver().size() - shown.size()).append(" more\n");
      }
    }
    plan.agentPlan().ifPresent(c -> agentPlanText(b, c));
    List<EvidenceDecisionEngine.Ranked> ranked = EvidenceDecisionEngine.rank(plan.context());
    if (!ranked.isEmpty()) {
      b.append("\nProposals, best first\n");
      for (EvidenceDecisionEngine.Ranked r :
          ranked.subList(0, Math.min(MAX_PROPOSALS, ranked.size()))) {
        b.append(
            String.format(
                Locale.ROOT,
                "  %5s  %-16s %s%n",
                format(r.score()),
                r.candidate().kind().key(),
                r.candidate().title()));
      }
      if (ranked.size() > MAX_PROPOSALS) {
        b.append("  … and ").append(ranked.size() - MAX_PROPOSALS).append(" more\n");
      }
    }
    List<Exclusion> excluded = plan.context().exclusions();
    if (!excluded.isEmpty()) {
      b.append("\nExcluded changed files\n");
      for (Exclusion x : excluded.subList(0, Math.min(MAX_PASSED_OVER, excluded.size()))) {
        b.append(String.format(Locale.ROOT, "  %-40s %s%n", x.path(), x.reason()));
      }
      if (excluded.size() > MAX_PASSED_OVER) {
        b.append("  … and ").append(excluded.size() - MAX_PASSED_OVER).append(" more\n");
      }
    }
    DecisionInputs.Report in = plan.inputs();
    b.append("\nInputs (read-only; nothing was run or changed)\n");
    in.asOf().ifPresent(t -> line(b, "as of", t.truncatedTo(ChronoUnit.SECONDS).toString()));
    plan.context().activityNote().ifPresent(n -> line(b, "activity", n));
    line(b, "workspace", in.workspace().toString());
    line(
        b,
        "lookback",
        in.lookbackDays() + " days, since " + in.since().truncatedTo(ChronoUnit.SECONDS));
    line(
        b,
        "git",
        in.git()
            .problem()
            .orElse(
                in.git().commits() + " commits, " + in.git().files().size() + " files in focus"));
    for (DecisionInputs.SourceReport s : in.history()) {
      line(
          b,
          s.source(),
          s.sessions()
              + (s.sessions() == 1 ? " session" : " sessions")
              + s.note().map(n -> " (" + n + ")").orElse(""));
    }
    for (DecisionInputs.SourceReport s : in.candidateSources()) {
      line(
          b,
          s.source(),
          s.sessions()
              + (s.sessions() == 1 ? " candidate" : " candidates")
              + s.note().map(n -> " (" + n + ")").orElse(""));
    }
    line(
        b,
        "files",
        in.filesConsidered() + " in focus and present, " + in.filesWithTests() + " with tests");
    return b.toString();
  }

  /** The pipeline a decision runs: its manifest and hash, its inputs, its steps in order. */
  private static void pipelineLines(StringBuilder b, String reference, Decision d) {
    String hash = TaskFacts.PIPELINE_HASH.from(d.metadata()).orElse("?");
    line(
        b,
        "Pipeline",
        reference + " (manifest " + hash.substring(0, Math.min(12, hash.length())) + ")");
    Map<String, String> inputs = new java.util.LinkedHashMap<>();
    TaskFacts.PIPELINE_INPUTS
        .from(d.metadata())
        .ifPresent(
            json -> {
              try {
                OvernightJson.read(json)
                    .fields()
                    .forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asText()));
              } catch (IllegalArgumentException e) {
                // Shown as written below.
              }
            });
    line(
        b,
        "Inputs",
        inputs.isEmpty()
            ? TaskFacts.PIPELINE_INPUTS.from(d.metadata()).orElse("none")
            : inputs.entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue())
                .collect(java.util.stream.Collectors.joining("; ")));
    Optional<PipelineManifest> manifest = PipelineProposals.builtIn(reference);
    if (manifest.isPresent()) {
      List<String> steps = PipelineProposals.stepLines(manifest.get());
      for (int i = 0; i < steps.size(); i++) {
        line(b, i == 0 ? "Steps" : "", (i + 1) + ". " + steps.get(i));
      }
    }
  }

  /**
   * The plan as JSON. The decision has the canonical shape ({@link OvernightJson#decision}), the
   * one the coordinator's {@code decided} event carries; absent values are left out.
   */
  public static String json(PlanReport plan) {
    DecisionExplanation e = plan.explanation();
    ObjectNode root = OvernightJson.object();
    root.put("summary", e.summary());
    root.put("runnable", e.runnable());
    if (e.decision().isPresent()) {
      Decision d = e.decision().get();
      root.set("decision", OvernightJson.decision(d));
      ObjectNode agent = root.putObject("agent");
      agent.put("would_use", d.agentId());
      e.agent().ifPresent(a -> agent.put("chosen", a));
      agent.put("available", e.agent().isPresent());
      agent.put("reason", verdictOf(e, d.agentId()));
    }
    ArrayNode agents = root.putArray("agents");
    for (AgentVerdict v : e.agents()) {
      agents
          .addObject()
          .put("id", v.agentId())
          .put("verdict", v.verdict().name().toLowerCase(Locale.ROOT))
          .put("reason", v.reason());
    }
    plan.agentPlan().ifPresent(c -> root.set("agent_plan", agentPlanJson(c)));
    ArrayNode passed = root.putArray("passed_over");
    for (PassedOver p : e.passedOver()) {
      ObjectNode o = passed.addObject();
      o.put("path", p.path().key());
      p.file().ifPresent(f -> o.put("file", f));
      o.put("title", p.title()).put("op_hash", p.opHash());
    }
    List<EvidenceDecisionEngine.Ranked> ranked = EvidenceDecisionEngine.rank(plan.context());
    ArrayNode proposals = root.putArray("proposals");
    ranked.forEach(r -> proposals.add(OvernightJson.proposal(r.candidate(), r.score())));
    ArrayNode exclusions = root.putArray("exclusions");
    plan.context()
        .exclusions()
        .forEach(x -> exclusions.addObject().put("path", x.path()).put("reason", x.reason()));
    plan.context().activityNote().ifPresent(n -> root.put("activity_note", n));
    DecisionInputs.Report in = plan.inputs();
    in.asOf().ifPresent(t -> root.put("as_of", t.toString()));
    ObjectNode inputs = root.putObject("inputs");
    inputs.put("workspace", in.workspace().toString());
    inputs.put("lookback_days", in.lookbackDays());
    inputs.put("since", in.since().truncatedTo(ChronoUnit.SECONDS).toString());
    ObjectNode git = inputs.putObject("git");
    git.put("commits", in.git().commits());
    git.put("files", in.git().files().size());
    in.git().problem().ifPresent(p -> git.put("problem", p));
    ArrayNode history = inputs.putArray("history");
    for (DecisionInputs.SourceReport s : in.history()) {
      ObjectNode o = history.addObject().put("source", s.source()).put("sessions", s.sessions());
      s.note().ifPresent(n -> o.put("note", n));
    }
    ArrayNode candidateSources = inputs.putArray("candidate_sources");
    for (DecisionInputs.SourceReport s : in.candidateSources()) {
      ObjectNode o =
          candidateSources.addObject().put("source", s.source()).put("candidates", s.sessions());
      s.note().ifPresent(n -> o.put("note", n));
    }
    ObjectNode files = inputs.putObject("files");
    files.put("considered", in.filesConsidered());
    files.put("with_tests", in.filesWithTests());
    ArrayNode activity = files.putArray("activity");
    plan.context()
        .fileActivity()
        .forEach(
            f ->
                activity
                    .addObject()
                    .put("path", f.path())
                    .put("touches", f.touches())
                    .put("has_tests", plan.context().filesWithTests().contains(f.path())));
    return OvernightJson.writePretty(root) + "\n";
  }

  /** The agent's plan, what was dropped, and the evidence engine's choice beside it. */
  private static void agentPlanText(StringBuilder b, AgentDecisionEngine.Comparison c) {
    AgentPlan p = c.plan();
    b.append("\nAgent plan (")
        .append(p.agent())
        .append(p.cached() ? ", planned earlier for this HEAD" : "")
        .append(")\n");
    p.fallbackReason().ifPresent(r -> line(b, "not used", r));
    for (AgentPlan.PlannedTask t : p.tasks()) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %2d. %-16s %s%s  [%s]%n",
              t.rank(),
              t.kind().key(),
              t.title(),
              t.files().isEmpty() ? "" : " — " + String.join(", ", t.files()),
              t.expectedSize()));
    }
    for (AgentPlan.DroppedTask d : p.dropped()) {
      b.append(
          String.format(Locale.ROOT, "  %2d. dropped: %s (%s)%n", d.rank(), d.title(), d.reason()));
    }
    line(
        b,
        "evidence",
        c.evidence().decision().map(Decision::title).orElse("nothing")
            + (c.differs() ? " (differs from the agent's choice)" : " (the same choice)"));
    if (!p.cached() && p.promptBytes() > 0) {
      line(
          b,
          "planning",
          p.usage().agentTime().toMillis()
              + " ms, "
              + p.promptBytes()
              + " bytes sent, "
              + p.usage().usage().totalTokens()
              + " tokens");
    }
  }

  private static ObjectNode agentPlanJson(AgentDecisionEngine.Comparison c) {
    AgentPlan p = c.plan();
    ObjectNode o = OvernightJson.object();
    o.put("agent", p.agent());
    o.put("used", p.used());
    p.fallbackReason().ifPresent(r -> o.put("fallback_reason", r));
    o.put("cached", p.cached());
    ArrayNode tasks = o.putArray("tasks");
    for (AgentPlan.PlannedTask t : p.tasks()) {
      ObjectNode n = tasks.addObject();
      n.put("rank", t.rank());
      n.put("kind", t.kind().key());
      ArrayNode files = n.putArray("files");
      t.files().forEach(files::add);
      n.put("title", t.title());
      n.put("prompt", t.prompt());
      n.put("acceptance_check", t.acceptanceCheck());
      n.put("rationale", t.rationale());
      n.put("expected_size", t.expectedSize());
    }
    ArrayNode dropped = o.putArray("dropped");
    for (AgentPlan.DroppedTask d : p.dropped()) {
      dropped.addObject().put("rank", d.rank()).put("title", d.title()).put("reason", d.reason());
    }
    Optional<String> evidence = c.evidence().decision().map(Decision::title);
    if (evidence.isPresent()) {
      o.put("evidence_choice", evidence.get());
    } else {
      o.putNull("evidence_choice");
    }
    o.put("differs", c.differs());
    o.put("prompt_bytes", p.promptBytes());
    o.put("tokens", p.usage().usage().totalTokens());
    p.usage().usage().costUsd().ifPresent(x -> o.put("cost_usd", x));
    o.put("agent_ms", p.usage().agentTime().toMillis());
    return o;
  }

  private static String agentLine(DecisionExplanation e, Decision d) {
    if (e.agent().isPresent()) {
      return d.agentId() + " (" + verdictOf(e, d.agentId()) + ")";
    }
    return "would use " + d.agentId() + ", unavailable because " + verdictOf(e, d.agentId());
  }

  private static String verdictOf(DecisionExplanation e, String agentId) {
    Map<String, String> reasons = new TreeMap<>();
    e.agents().forEach(v -> reasons.putIfAbsent(v.agentId(), v.reason()));
    return reasons.getOrDefault(agentId, "not considered");
  }

  private static String touches(String n) {
    return n + (n.equals("1") ? " touch" : " touches");
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append(String.format(Locale.ROOT, "  %-12s %s%n", label, value));
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
