package dev.overnight.core.doctor.internal;

import dev.overnight.core.doctor.DoctorReport;
import dev.overnight.core.doctor.DoctorReport.AgentReport;
import dev.overnight.core.doctor.DoctorReport.CheckerReport;
import dev.overnight.core.doctor.DoctorReport.ConfigInfo;
import dev.overnight.core.doctor.DoctorReport.KeepAwakeReport;
import dev.overnight.core.doctor.DoctorReport.PathReport;
import dev.overnight.core.doctor.DoctorReport.SandboxReport;
import dev.overnight.core.doctor.DoctorReport.SystemInfo;
import dev.overnight.core.doctor.DoctorReport.ToolReport;
import dev.overnight.core.doctor.DoctorReport.WakeReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the checks of one doctor run have found so far: each section of the {@link DoctorReport},
 * recorded once by the check that owns it, and the problems and warnings in the order the checks
 * raised them (which is the order the report lists them in).
 *
 * <p>A section recorded twice, or missing when the report is assembled, means two checks claim the
 * same concern or none does; both fail with an {@link IllegalStateException} naming the section.
 * Not thread-safe: checks run one after another.
 */
public final class Findings {
  private SystemInfo system;
  private ConfigInfo config;
  private List<CheckerReport> checkers;
  private KeepAwakeReport keepAwake;
  private WakeReport wake;
  private SandboxReport sandbox;
  private List<AgentReport> agents;
  private List<ToolReport> tools;
  private List<PathReport> state;
  private final List<String> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<String> neverRuns = new ArrayList<>();

  /** Records the system section. */
  public void reportSystem(SystemInfo value) {
    system = once(system, value, "system");
  }

  /** Records the config section. */
  public void reportConfig(ConfigInfo value) {
    config = once(config, value, "config");
  }

  /** Records the constraint checkers section. */
  public void reportCheckers(List<CheckerReport> value) {
    checkers = once(checkers, List.copyOf(value), "constraint checkers");
  }

  /** Records the keep-awake section. */
  public void reportKeepAwake(KeepAwakeReport value) {
    keepAwake = once(keepAwake, value, "keep-awake");
  }

  /** Records the wake section; without it the report says wake scheduling was not checked. */
  public void reportWake(WakeReport value) {
    wake = once(wake, value, "wake");
  }

  /** Records the sandbox section. */
  public void reportSandbox(SandboxReport value) {
    sandbox = once(sandbox, value, "sandbox");
  }

  /** Records the agents section. */
  public void reportAgents(List<AgentReport> value) {
    agents = once(agents, List.copyOf(value), "agents");
  }

  /** Records the tools section. */
  public void reportTools(List<ToolReport> value) {
    tools = once(tools, List.copyOf(value), "tools");
  }

  /** Records the state section. */
  public void reportState(List<PathReport> value) {
    state = once(state, List.copyOf(value), "state");
  }

  /** Records something that stops Overnight from working here. */
  public void problem(String text) {
    problems.add(Objects.requireNonNull(text, "text"));
  }

  /**
   * Records why no night can ever run with this configuration here, with the fix; it is a problem
   * too, stated as such.
   */
  public void neverRuns(String reason) {
    neverRuns.add(Objects.requireNonNull(reason, "reason"));
    problems.add(DoctorReport.NEVER_RUNS + ": " + reason);
  }

  /** Records something that works but deserves attention. */
  public void warning(String text) {
    warnings.add(Objects.requireNonNull(text, "text"));
  }

  /** The system section, once recorded. */
  public Optional<SystemInfo> system() {
    return Optional.ofNullable(system);
  }

  /** The config section, once recorded. */
  public Optional<ConfigInfo> config() {
    return Optional.ofNullable(config);
  }

  /** The constraint checkers section, once recorded. */
  public Optional<List<CheckerReport>> checkers() {
    return Optional.ofNullable(checkers);
  }

  /** The keep-awake section, once recorded. */
  public Optional<KeepAwakeReport> keepAwake() {
    return Optional.ofNullable(keepAwake);
  }

  /** The wake section, once recorded. */
  public Optional<WakeReport> wake() {
    return Optional.ofNullable(wake);
  }

  /** The sandbox section, once recorded. */
  public Optional<SandboxReport> sandbox() {
    return Optional.ofNullable(sandbox);
  }

  /** The agents section, once recorded. */
  public Optional<List<AgentReport>> agents() {
    return Optional.ofNullable(agents);
  }

  /** The tools section, once recorded. */
  public Optional<List<ToolReport>> tools() {
    return Optional.ofNullable(tools);
  }

  /** The state section, once recorded. */
  public Optional<List<PathReport>> state() {
    return Optional.ofNullable(state);
  }

  /** The problems recorded so far, in order. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** The warnings recorded so far, in order. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * The report of everything recorded.
   *
   * @throws IllegalStateException naming every section no check recorded
   */
  public DoctorReport toReport(Instant generatedAt) {
    List<String> missing = new ArrayList<>();
    if (system == null) {
      missing.add("system");
    }
    if (config == null) {
      missing.add("config");
    }
    if (checkers == null) {
      missing.add("constraint checkers");
    }
    if (keepAwake == null) {
      missing.add("keep-awake");
    }
    if (sandbox == null) {
      missing.add("sandbox");
    }
    if (agents == null) {
      missing.add("agents");
    }
    if (tools == null) {
      missing.add("tools");
    }
    if (state == null) {
      missing.add("state");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "no check recorded the " + String.join(", ", missing) + " section(s) of the report");
    }
    return new DoctorReport(
        generatedAt,
        system,
        config,
        checkers,
        keepAwake,
        wake == null ? WakeReport.NOT_CHECKED : wake,
        sandbox,
        agents,
        tools,
        state,
        problems,
        warnings,
        neverRuns);
  }

  private static <T> T once(T current, T value, String section) {
    Objects.requireNonNull(value, section);
    if (current != null) {
      throw new IllegalStateException(
          "the " + section + " section was recorded twice: exactly one check owns each section");
    }
    return value;
  }
}
