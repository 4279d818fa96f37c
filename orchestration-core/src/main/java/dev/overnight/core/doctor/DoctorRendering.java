package dev.overnight.core.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.doctor.DoctorReport.AgentReport;
import dev.overnight.core.doctor.DoctorReport.Candidate;
import dev.overnight.core.doctor.DoctorReport.CheckerReport;
import dev.overnight.core.doctor.DoctorReport.PathReport;
import dev.overnight.core.doctor.DoctorReport.ToolReport;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.time.Durations;
import java.util.List;

/** Renders a {@link DoctorReport} as text and as JSON. */
final class DoctorRendering {
  private DoctorRendering() {}

  static String text(DoctorReport r) {
    StringBuilder out = new StringBuilder();
    out.append("Overnight doctor (")
        .append(r.system().overnightVersion())
        .append(") at ")
        .append(r.generatedAt())
        .append('\n');

    section(out, "System");
    row(
        out,
        "os",
        r.system().osName()
            + " "
            + r.system().osVersion()
            + " ("
            + r.system().arch()
            + "), family "
            + r.system().family());
    row(
        out,
        "java",
        r.system().javaVersion()
            + " ("
            + r.system().javaVendor()
            + ") at "
            + r.system().javaHome());
    row(out, "processors", Integer.toString(r.system().processors()));

    section(out, "Config");
    row(out, "source", r.config().source());
    row(out, "id", r.config().id());
    row(
        out,
        "enabled",
        r.config().enabledCheckers().isEmpty()
            ? "no constraint enabled"
            : String.join(", ", r.config().enabledCheckers()));
    row(
        out,
        "on_unknown",
        r.config().onUnknown() + ", check timeout " + Durations.human(r.config().checkTimeout()));

    section(out, "Constraint checkers");
    int width = r.checkers().stream().mapToInt(c -> c.name().length()).max().orElse(10);
    for (CheckerReport c : r.checkers()) {
      out.append("  ")
          .append(pad(c.name(), width))
          .append("  ")
          .append(pad(c.status().name(), 11))
          .append("  ")
          .append(c.reason())
          .append('\n');
      out.append("  ")
          .append(" ".repeat(width))
          .append("  ")
          .append(c.enabled() ? "enabled" : "not enabled in config")
          .append(", ")
          .append(c.provider().map(p -> "served by " + p).orElse("no provider"))
          .append(", ")
          .append(Durations.human(c.elapsed()))
          .append('\n');
      candidates(out, c.candidates(), width + 4);
    }

    section(out, "Keep-awake");
    row(
        out,
        "uses",
        r.keepAwake().implementation()
            + r.keepAwake().provider().map(p -> " from " + p).orElse(""));
    row(out, "held", (r.keepAwake().held() ? "yes" : "no") + ": " + r.keepAwake().detail());
    candidates(out, r.keepAwake().candidates(), 4);

    section(out, "Wake-up");
    row(
        out,
        "possible",
        r.wake().possible()
            ? "yes, through " + r.wake().mechanism() + ": " + r.wake().detail()
            : "no: " + r.wake().detail());

    section(out, "Sandbox");
    row(
        out,
        "found",
        r.sandbox().sandbox()
            + (r.sandbox().available() ? ": " : " (cannot be used): ")
            + r.sandbox().detail()
            + r.sandbox().remedy().map(m -> " (" + m + ")").orElse(""));
    row(out, "mode", r.sandbox().mode() + ": " + r.sandbox().effect());

    section(out, "Agents");
    if (r.agents().isEmpty()) {
      out.append("  (no agent provider found)\n");
    }
    for (AgentReport a : r.agents()) {
      row(
          out,
          a.id(),
          (a.available() ? "available: " : "unavailable: ")
              + a.reason()
              + a.remedy().map(m -> " (" + m + ")").orElse(""));
    }

    section(out, "Tools");
    for (ToolReport t : r.tools()) {
      row(out, t.name(), (t.ok() ? "ok: " : "FAILED: ") + t.detail());
    }

    section(out, "State");
    for (PathReport p : r.state()) {
      row(out, p.role(), p.path() + ": " + p.note());
    }

    section(out, "Summary");
    if (r.problems().isEmpty()) {
      out.append("  no problems\n");
    }
    for (String p : r.problems()) {
      out.append("  PROBLEM  ").append(p).append('\n');
    }
    for (String w : r.warnings()) {
      out.append("  warning  ").append(w).append('\n');
    }
    return out.toString();
  }

  private static void candidates(StringBuilder out, List<Candidate> candidates, int indent) {
    for (Candidate k : candidates) {
      out.append(" ".repeat(indent))
          .append(k.selected() ? "* " : "- ")
          .append(k.className())
          .append(" (order ")
          .append(k.order())
          .append(k.note().isEmpty() ? "" : "; " + k.note())
          .append(")\n");
    }
  }

  private static void section(StringBuilder out, String title) {
    out.append('\n').append(title).append('\n');
  }

  private static void row(StringBuilder out, String key, String value) {
    out.append("  ").append(pad(key, 12)).append("  ").append(value).append('\n');
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  static String json(DoctorReport r) {
    ObjectNode root = OvernightJson.object();
    root.put("generated_at", r.generatedAt().toString());
    root.put("overnight_version", r.system().overnightVersion());
    ObjectNode system = root.putObject("system");
    system.put("os_name", r.system().osName());
    system.put("os_version", r.system().osVersion());
    system.put("arch", r.system().arch());
    system.put("family", r.system().family());
    system.put("java_version", r.system().javaVersion());
    system.put("java_vendor", r.system().javaVendor());
    system.put("java_home", r.system().javaHome());
    system.put("processors", r.system().processors());

    ObjectNode config = root.putObject("config");
    config.put("source", r.config().source());
    config.put("id", r.config().id());
    ArrayNode enabled = config.putArray("enabled_checkers");
    r.config().enabledCheckers().forEach(enabled::add);
    config.put("on_unknown", r.config().onUnknown());
    config.put("check_timeout_ms", r.config().checkTimeout().toMillis());

    ArrayNode checkers = root.putArray("checkers");
    for (CheckerReport c : r.checkers()) {
      ObjectNode n = checkers.addObject();
      n.put("name", c.name());
      n.put("status", c.status().name());
      n.put("reason", c.reason());
      n.put("enabled", c.enabled());
      c.provider().ifPresent(p -> n.put("provider", p));
      n.put("elapsed_ms", c.elapsed().toMillis());
      candidates(n.putArray("candidates"), c.candidates());
    }

    ObjectNode keepAwake = root.putObject("keep_awake");
    keepAwake.put("implementation", r.keepAwake().implementation());
    r.keepAwake().provider().ifPresent(p -> keepAwake.put("provider", p));
    keepAwake.put("held", r.keepAwake().held());
    keepAwake.put("detail", r.keepAwake().detail());
    candidates(keepAwake.putArray("candidates"), r.keepAwake().candidates());

    ObjectNode wake = root.putObject("wake");
    wake.put("possible", r.wake().possible());
    wake.put("mechanism", r.wake().mechanism());
    wake.put("detail", r.wake().detail());
    r.wake().provider().ifPresent(p -> wake.put("provider", p));

    ObjectNode sandbox = root.putObject("sandbox");
    sandbox.put("sandbox", r.sandbox().sandbox());
    sandbox.put("available", r.sandbox().available());
    sandbox.put("detail", r.sandbox().detail());
    if (r.sandbox().remedy().isPresent()) {
      sandbox.put("remedy", r.sandbox().remedy().get());
    } else {
      sandbox.putNull("remedy");
    }
    sandbox.put("mode", r.sandbox().mode());
    sandbox.put("effect", r.sandbox().effect());

    ArrayNode agents = root.putArray("agents");
    for (AgentReport a : r.agents()) {
      ObjectNode n = agents.addObject();
      n.put("id", a.id());
      n.put("available", a.available());
      n.put("reason", a.reason());
      a.remedy().ifPresent(m -> n.put("remedy", m));
    }

    ArrayNode tools = root.putArray("tools");
    for (ToolReport t : r.tools()) {
      ObjectNode n = tools.addObject();
      n.put("name", t.name());
      n.put("ok", t.ok());
      n.put("detail", t.detail());
    }

    ArrayNode state = root.putArray("state");
    for (PathReport p : r.state()) {
      ObjectNode n = state.addObject();
      n.put("role", p.role());
      n.put("path", p.path().toString());
      n.put("exists", p.exists());
      n.put("writable", p.writable());
      p.sizeBytes().ifPresent(b -> n.put("size_bytes", b));
      n.put("note", p.note());
    }

    ArrayNode problems = root.putArray("problems");
    r.problems().forEach(problems::add);
    ArrayNode warnings = root.putArray("warnings");
    r.warnings().forEach(warnings::add);
    ArrayNode neverRuns = root.putArray("never_runs_here");
    r.neverRuns().forEach(neverRuns::add);
    root.put("night_possible", r.nightPossible());
    root.put("healthy", r.healthy());
    return OvernightJson.writePretty(root) + "\n";
  }

  private static void candidates(ArrayNode array, List<Candidate> candidates) {
    for (Candidate k : candidates) {
      ObjectNode n = array.addObject();
      n.put("class", k.className());
      n.put("order", k.order());
      n.put("supported", k.supported());
      n.put("selected", k.selected());
      n.put("note", k.note());
    }
  }
}
