package dev.overnight.core.rehearsal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.rehearsal.CostProjection.AgentQuota;
import dev.overnight.core.rehearsal.CostProjection.Spend;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Renders a {@link RehearsalReport} as text and as JSON. */
final class RehearsalRendering {
  private RehearsalRendering() {}

  static String text(RehearsalReport r) {
    StringBuilder out = new StringBuilder();
    out.append("Overnight rehearsal of ")
        .append(r.configSource())
        .append(" at ")
        .append(r.generatedAt())
        .append('\n');
    out.append("  context  ").append(r.service().source()).append('\n');
    out.append("  folder   ").append(r.service().workingDirectory()).append('\n');
    out.append("  PATH     ")
        .append(r.service().variables().getOrDefault("PATH", "(none)"))
        .append("\n\n");
    for (RehearsalFinding f : r.findings()) {
      out.append(
              switch (f.severity()) {
                case OK -> "  ok       ";
                case WARNING -> "  warning  ";
                case PROBLEM -> "  PROBLEM  ";
              })
          .append(f.area())
          .append(": ")
          .append(f.what())
          .append('\n');
      f.fix().ifPresent(fix -> out.append("           fix: ").append(fix).append('\n'));
    }
    out.append('\n');
    CostProjection c = r.cost();
    out.append("Tonight: ")
        .append(c.plan().tasks())
        .append(c.plan().tasks() == 1 ? " task" : " tasks")
        .append(" (")
        .append(c.plan().basis())
        .append("); about ")
        .append(spend(c.projected()))
        .append(", per task ")
        .append(spend(c.perTask()))
        .append(" from ")
        .append(c.samples())
        .append(" completed task")
        .append(c.samples() == 1 ? "" : "s")
        .append('\n');
    if (c.fit().tasks() < c.plan().tasks()) {
      out.append("  of which about ")
          .append(c.fit().tasks())
          .append(" would start, about ")
          .append(spend(c.fit().spend()))
          .append(": ")
          .append(String.join("; ", c.fit().bounds()))
          .append('\n');
    }
    for (AgentQuota q : c.quotas()) {
      out.append("  quota of ")
          .append(q.agent())
          .append(": ")
          .append(q.remaining().orElse("unknown"))
          .append('\n');
    }
    out.append('\n');
    if (r.neverRunsHere()) {
      out.append("This config will never run here: see the problems above.\n");
    } else if (r.nightWouldRun()) {
      out.append("A night would run.\n");
    } else {
      int n = r.problems().size();
      out.append("No night would run: ")
          .append(n)
          .append(n == 1 ? " problem" : " problems")
          .append(" to fix first.\n");
    }
    return out.toString();
  }

  private static String spend(Spend s) {
    if (s.costUsd().isEmpty() && s.tokens().isEmpty() && s.agentSeconds().isEmpty()) {
      return "unknown";
    }
    StringBuilder b = new StringBuilder();
    s.costUsd().ifPresent(c -> b.append(String.format(Locale.ROOT, "$%.2f", c)));
    s.tokens().ifPresent(t -> b.append(b.length() == 0 ? "" : ", ").append(t).append(" tokens"));
    s.agentSeconds()
        .ifPresent(t -> b.append(b.length() == 0 ? "" : ", ").append(t).append(" agent seconds"));
    return b.toString();
  }

  static String json(RehearsalReport r) {
    ObjectNode root = OvernightJson.object();
    root.put("generated_at", r.generatedAt().toString());
    root.put("config_source", r.configSource());
    root.put("night_would_run", r.nightWouldRun());
    root.put("never_runs_here", r.neverRunsHere());
    ArrayNode reasons = root.putArray("never_runs_reasons");
    r.doctor().neverRuns().forEach(reasons::add);

    ObjectNode service = root.putObject("service");
    service.put("source", r.service().source());
    service.put("installed", r.service().installed());
    putPath(service, "definition_file", r.service().definitionFile());
    putPath(service, "environment_file", r.service().environmentFile());
    service.put("working_directory", r.service().workingDirectory().toString());
    ArrayNode path = service.putArray("path");
    r.service().pathEntries().forEach(path::add);
    // Names only: the values are the user's keys.
    ArrayNode names = service.putArray("variables");
    r.service().variables().keySet().stream().sorted().forEach(names::add);

    ArrayNode findings = root.putArray("findings");
    for (RehearsalFinding f : r.findings()) {
      ObjectNode n = findings.addObject();
      n.put("area", f.area());
      n.put("severity", f.severity().jsonName());
      n.put("what", f.what());
      if (f.fix().isPresent()) {
        n.put("fix", f.fix().get());
      } else {
        n.putNull("fix");
      }
    }

    CostProjection c = r.cost();
    ObjectNode cost = root.putObject("cost");
    cost.put("tasks", c.plan().tasks());
    cost.put("plan", c.plan().basis());
    cost.put("samples", c.samples());
    spend(cost.putObject("per_task"), c.perTask());
    spend(cost.putObject("projected"), c.projected());
    ObjectNode limit = cost.putObject("limit");
    put(limit, "cost_usd", c.limit().costUsd());
    put(limit, "tokens", c.limit().tokens());
    put(limit, "agent_seconds", c.limit().agentSeconds());
    ArrayNode over = cost.putArray("overruns");
    c.overruns().forEach(over::add);
    ObjectNode fit = cost.putObject("fit");
    fit.put("tasks", c.fit().tasks());
    ArrayNode bounds = fit.putArray("bounds");
    c.fit().bounds().forEach(bounds::add);
    spend(fit.putObject("spend"), c.fit().spend());
    ArrayNode quotas = cost.putArray("quotas");
    for (AgentQuota q : c.quotas()) {
      ObjectNode n = quotas.addObject();
      n.put("agent", q.agent());
      n.put("remaining", q.remaining().orElse("unknown"));
    }
    return OvernightJson.writePretty(root) + "\n";
  }

  private static void spend(ObjectNode n, Spend s) {
    put(n, "cost_usd", s.costUsd());
    put(n, "tokens", s.tokens());
    put(n, "agent_seconds", s.agentSeconds());
  }

  private static void put(ObjectNode n, String key, Optional<? extends Number> value) {
    if (value.isEmpty()) {
      n.putNull(key);
    } else if (value.get() instanceof Double d) {
      n.put(key, d);
    } else {
      n.put(key, value.get().longValue());
    }
  }

  private static void putPath(ObjectNode n, String key, Optional<Path> value) {
    if (value.isPresent()) {
      n.put(key, value.get().toString());
    } else {
      n.putNull(key);
    }
  }
}
