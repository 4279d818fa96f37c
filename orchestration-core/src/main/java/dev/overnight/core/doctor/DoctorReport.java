package dev.overnight.core.doctor;

import dev.overnight.api.constraint.ConstraintStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link Doctor} found, rendered by {@link #toText()} for people and {@link #toJson()} for
 * tools and bug reports.
 *
 * @param generatedAt when the report was made
 * @param system the operating system and JVM
 * @param config which configuration was examined
 * @param checkers every constraint checker: the built-ins, the configured plugins, and any other
 *     discovered provider
 * @param keepAwake whether keep-awake could be acquired and released
 * @param wake whether this machine can be woken from sleep for a night's window, and why not
 * @param sandbox which sandbox agents' commands run in, and what {@code permissions.sandbox} makes
 *     of it
 * @param agents every agent provider's availability
 * @param tools git and gh
 * @param state the state folder and the database file
 * @param problems what stops Overnight from working here; empty means healthy
 * @param warnings what works but deserves attention
 * @param neverRuns why no night can ever run with this configuration on this machine, each with its
 *     fix (each is among the problems too); empty when a night can run
 * @since 0.1.0
 */
public record DoctorReport(
    Instant generatedAt,
    SystemInfo system,
    ConfigInfo config,
    List<CheckerReport> checkers,
    KeepAwakeReport keepAwake,
    WakeReport wake,
    SandboxReport sandbox,
    List<AgentReport> agents,
    List<ToolReport> tools,
    List<PathReport> state,
    List<String> problems,
    List<String> warnings,
    List<String> neverRuns) {

  /** How a reason of {@link #neverRuns()} begins among the problems. */
  public static final String NEVER_RUNS = "this config will never run here";

  /** Validates the components and copies the lists. */
  public DoctorReport {
    Objects.requireNonNull(generatedAt, "generatedAt");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(config, "config");
    checkers = List.copyOf(checkers);
    Objects.requireNonNull(keepAwake, "keepAwake");
    Objects.requireNonNull(wake, "wake");
    Objects.requireNonNull(sandbox, "sandbox");
    agents = List.copyOf(agents);
    tools = List.copyOf(tools);
    state = List.copyOf(state);
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
    neverRuns = List.copyOf(neverRuns);
  }

  /** A report without a wake section, which reads as not checked. */
  public DoctorReport(
      Instant generatedAt,
      SystemInfo system,
      ConfigInfo config,
      List<CheckerReport> checkers,
      KeepAwakeReport keepAwake,
      SandboxReport sandbox,
      List<AgentReport> agents,
      List<ToolReport> tools,
      List<PathReport> state,
      List<String> problems,
      List<String> warnings,
      List<String> neverRuns) {
    this(
        generatedAt,
        system,
        config,
        checkers,
        keepAwake,
        WakeReport.NOT_CHECKED,
        sandbox,
        agents,
        tools,
        state,
        problems,
        warnings,
        neverRuns);
  }

  /** Whether a night can ever run with this configuration here (see {@link #neverRuns()}). */
  public boolean nightPossible() {
    return neverRuns.isEmpty();
  }

  /** Whether nothing stops Overnight from working here. */
  public boolean healthy() {
    return problems.isEmpty();
  }

  /** The report as plain text, one section per concern. */
  public String toText() {
    return DoctorRendering.text(this);
  }

  /**
   * The report as pretty-printed JSON; each checker appears as {@code {"name", "status", "reason",
   * …}} with {@code status} one of {@code SATISFIED}, {@code UNSATISFIED}, {@code UNKNOWN}.
   */
  public String toJson() {
    return DoctorRendering.json(this);
  }

  /**
   * The machine and JVM.
   *
   * @param osName {@code os.name}
   * @param osVersion {@code os.version}
   * @param arch {@code os.arch}
   * @param family the family Overnight recognised
   * @param javaVersion {@code java.version}
   * @param javaVendor {@code java.vendor}
   * @param javaHome {@code java.home}
   * @param processors available processors
   * @param overnightVersion the version of Overnight's core, or {@code development}
   */
  public record SystemInfo(
      String osName,
      String osVersion,
      String arch,
      String family,
      String javaVersion,
      String javaVendor,
      String javaHome,
      int processors,
      String overnightVersion) {}

  /**
   * The configuration examined.
   *
   * @param source where it came from: a file path, or a note that defaults were used and why
   * @param id the configuration's id
   * @param enabledCheckers the checkers it enables
   * @param onUnknown how it treats an {@code UNKNOWN} answer
   * @param checkTimeout how long each checker may take
   */
  public record ConfigInfo(
      String source,
      String id,
      List<String> enabledCheckers,
      String onUnknown,
      Duration checkTimeout) {
    /** Copies the list. */
    public ConfigInfo {
      enabledCheckers = List.copyOf(enabledCheckers);
    }
  }

  /**
   * One constraint checker.
   *
   * @param name its config name
   * @param enabled whether the configuration enables it (disabled built-ins are still checked, with
   *     default settings, to show what they would say)
   * @param status its answer
   * @param reason why
   * @param provider the class of the provider that served it, when one did
   * @param candidates every provider of this name that was found, and whether it is supported here
   * @param elapsed how long the check took
   */
  public record CheckerReport(
      String name,
      boolean enabled,
      ConstraintStatus status,
      String reason,
      Optional<String> provider,
      List<Candidate> candidates,
      Duration elapsed) {
    /** Copies the list. */
    public CheckerReport {
      candidates = List.copyOf(candidates);
    }
  }

  /**
   * A provider found for a name.
   *
   * @param className the provider's class
   * @param order its precedence (lower wins)
   * @param supported whether it works here
   * @param selected whether it was the one used
   * @param note why it was not used, when it was not
   */
  public record Candidate(
      String className, int order, boolean supported, boolean selected, String note) {}

  /**
   * Keep-awake.
   *
   * @param implementation the keep-awake's own description
   * @param provider the class of the provider that made it, when one did
   * @param candidates every keep-awake provider found
   * @param held whether an acquisition really held the machine awake
   * @param detail what happened on acquire and release
   */
  public record KeepAwakeReport(
      String implementation,
      Optional<String> provider,
      List<Candidate> candidates,
      boolean held,
      String detail) {
    /** Copies the list. */
    public KeepAwakeReport {
      candidates = List.copyOf(candidates);
    }
  }

  /**
   * Whether the machine can be woken from sleep before a night's window.
   *
   * @param possible whether scheduling a wake works here
   * @param mechanism what would wake the machine, {@code ""} when nothing would
   * @param detail what the user should know, or why not and the fix
   * @param provider the class of the wake scheduler provider, when one applies here
   */
  public record WakeReport(
      boolean possible, String mechanism, String detail, Optional<String> provider) {
    /** The section of a report whose checks did not look at wake scheduling. */
    public static final WakeReport NOT_CHECKED =
        new WakeReport(false, "", "not checked", Optional.empty());

    /** Validates the components. */
    public WakeReport {
      Objects.requireNonNull(mechanism, "mechanism");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(provider, "provider");
    }
  }

  /**
   * The sandbox agents' commands run in.
   *
   * @param sandbox the sandbox this machine has: {@code bubblewrap}, {@code sandbox-exec}, or
   *     {@code none}
   * @param available whether it can be used here
   * @param detail what was found (its version and path), or why it cannot be used
   * @param remedy how to get one, when none can be used
   * @param mode the config's {@code permissions.sandbox}
   * @param effect what that means for agents' commands, in one sentence
   */
  public record SandboxReport(
      String sandbox,
      boolean available,
      String detail,
      Optional<String> remedy,
      String mode,
      String effect) {}

  /**
   * One agent.
   *
   * @param id the agent's id
   * @param available whether sessions can start
   * @param reason what was found
   * @param remedy how to fix it, when unavailable
   */
  public record AgentReport(String id, boolean available, String reason, Optional<String> remedy) {}

  /**
   * An external tool check, e.g. {@code git --version}.
   *
   * @param name what was checked, e.g. {@code gh auth}
   * @param ok whether it worked
   * @param detail what it printed, or why it failed
   */
  public record ToolReport(String name, boolean ok, String detail) {}

  /**
   * A file or folder Overnight keeps its state in.
   *
   * @param role {@code state folder} or {@code database}
   * @param path where it is
   * @param exists whether it exists
   * @param writable whether Overnight can write it (or create it, when it does not exist yet)
   * @param sizeBytes its size, for an existing file
   * @param note what that means
   */
  public record PathReport(
      String role,
      Path path,
      boolean exists,
      boolean writable,
      OptionalLong sizeBytes,
      String note) {}
}
