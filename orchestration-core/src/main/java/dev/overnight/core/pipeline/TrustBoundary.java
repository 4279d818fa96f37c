package dev.overnight.core.pipeline;

import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.pipeline.PipelineOperations;
import dev.overnight.core.pipeline.internal.CommandLine;
import dev.overnight.core.pipeline.internal.Templates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a manifest may ask for, decided by the local config alone: a manifest is untrusted input
 * (written by someone else, fetched from somewhere), so it can never raise the permission mode,
 * turn on fetching or the network, name an agent the config does not allow, run a program the
 * config does not already run, or spend more than the config's per-task limit. A manifest may ask
 * for less (a read-only review step).
 *
 * <p>Programs allowed: those the config lists in {@code pipelines.allowed_programs} when it has the
 * key; otherwise the first word of the quality gate's {@code verify_command} and of the worktree's
 * {@code setup_command}. Either way, plus those the local user adds explicitly ({@link
 * #allowingPrograms}). A program must be written literally in the manifest, never from a template.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class TrustBoundary {
  private final OrchestrationConfig config;
  private final Set<String> agents;
  private final Set<String> programs;

  private TrustBoundary(OrchestrationConfig config, Set<String> agents, Set<String> programs) {
    this.config = config;
    this.agents = agents;
    this.programs = programs;
  }

  /**
   * The boundary of {@code config}, with the agents the runtime has ({@code agents}: the ids it can
   * start; the config's {@code agents.allow} narrows them further).
   */
  public static TrustBoundary of(OrchestrationConfig config, Collection<String> agents) {
    Objects.requireNonNull(config, "config");
    Set<String> programs = new TreeSet<>();
    if (config.pipelines().allowedProgramsSet()) {
      programs.addAll(config.pipelines().allowedPrograms());
    } else {
      config.qualityGate().verifyCommand().ifPresent(c -> firstWord(c).ifPresent(programs::add));
      config.worktree().setupCommand().ifPresent(c -> firstWord(c).ifPresent(programs::add));
    }
    return new TrustBoundary(config, Set.copyOf(agents), programs);
  }

  /** This boundary, also allowing {@code extra} programs: the local user's own choice. */
  public TrustBoundary allowingPrograms(Collection<String> extra) {
    Set<String> all = new TreeSet<>(programs);
    all.addAll(extra);
    return new TrustBoundary(config, agents, all);
  }

  /** Whether a step may start {@code agent}. */
  public boolean allowsAgent(String agent) {
    return agents.contains(agent) && config.agentPreferences().allows(agent);
  }

  /** Whether a command step may run {@code program}. */
  public boolean allowsProgram(String program) {
    return programs.contains(program);
  }

  /** The programs a command step may run. */
  public Set<String> programs() {
    return Set.copyOf(programs);
  }

  /** Every reason {@code manifest} is refused; empty when it stays within the boundary. */
  public List<ConfigProblem> refusals(PipelineManifest manifest) {
    List<ConfigProblem> out = new ArrayList<>();
    permissions(manifest.permissions(), "/permissions", out);
    budget(manifest.budget(), "/budget", out);
    for (int i = 0; i < manifest.steps().size(); i++) {
      PipelineManifest.Step step = manifest.steps().get(i);
      String path = "/steps/" + i;
      permissions(step.permissions(), path + "/permissions", out);
      budget(step.budget(), path + "/budget", out);
      if (step.op().equals(PipelineOperations.AGENT_TURN)
          || step.op().equals(PipelineOperations.REVIEW)) {
        Optional.ofNullable(step.with().get("agent"))
            .ifPresent(a -> agent(a, path + "/with/agent", out));
      }
      if (step.op().equals(PipelineOperations.COMMAND)) {
        Optional.ofNullable(step.with().get("run"))
            .ifPresent(r -> program(r, path + "/with/run", out));
      }
    }
    return out;
  }

  /**
   * Checks {@code manifest}.
   *
   * @throws PipelineRefusedException with every reason, if it asks for too much
   */
  public void check(PipelineManifest manifest) {
    List<ConfigProblem> refusals = refusals(manifest);
    if (!refusals.isEmpty()) {
      throw new PipelineRefusedException(manifest.name(), refusals);
    }
  }

  /** The mode a step's agent gets: the lowest of what is asked, the manifest's and the config's. */
  public PermissionMode modeFor(
      PipelineManifest manifest, PipelineManifest.Step step, PermissionMode asked) {
    PermissionMode mode = lower(asked, config.permissions().mode());
    if (manifest.permissions().mode().isPresent()) {
      mode = lower(mode, manifest.permissions().mode().get());
    }
    if (step.permissions().mode().isPresent()) {
      mode = lower(mode, step.permissions().mode().get());
    }
    return mode;
  }

  private void permissions(PipelineManifest.Permissions p, String path, List<ConfigProblem> out) {
    PermissionMode allowed = config.permissions().mode();
    p.mode()
        .filter(m -> rank(m) > rank(allowed))
        .ifPresent(
            m ->
                out.add(
                    new ConfigProblem(
                        path + "/mode",
                        "asks for permission mode "
                            + m.jsonName()
                            + ", above the config's "
                            + allowed.jsonName()
                            + " (permissions.mode)")));
    if (p.allowFetch() && !config.permissions().allowFetch()) {
      out.add(
          new ConfigProblem(
              path + "/allow_fetch",
              "asks to fetch from the web, which the config does not allow (permissions.allow_fetch)"));
    }
    if (p.allowNetwork() && !config.permissions().allowNetwork()) {
      out.add(
          new ConfigProblem(
              path + "/allow_network",
              "asks for the network, which the config does not allow (permissions.allow_network)"));
    }
  }

  private void budget(SpendingLimit asked, String path, List<ConfigProblem> out) {
    SpendingLimit limit = config.limits().perTask();
    if (asked.tokens().isPresent()
        && limit.tokens().filter(t -> asked.tokens().get() > t).isPresent()) {
      out.add(
          new ConfigProblem(
              path + "/tokens",
              asked.tokens().get()
                  + " tokens is above the config's per-task limit of "
                  + limit.tokens().get()));
    }
    if (asked.costUsd().isPresent()
        && limit.costUsd().filter(c -> asked.costUsd().get() > c).isPresent()) {
      out.add(
          new ConfigProblem(
              path + "/cost_usd",
              "$"
                  + asked.costUsd().get()
                  + " is above the config's per-task limit of $"
                  + limit.costUsd().get()));
    }
    if (asked.agentSeconds().isPresent()
        && limit.agentSeconds().filter(s -> asked.agentSeconds().get() > s).isPresent()) {
      out.add(
          new ConfigProblem(
              path + "/agent_seconds",
              asked.agentSeconds().get()
                  + " agent seconds is above the config's per-task limit of "
                  + limit.agentSeconds().get()));
    }
  }

  private void agent(String agent, String path, List<ConfigProblem> out) {
    if (Templates.hasReference(agent)) {
      out.add(
          new ConfigProblem(path, "the agent must be written out, not filled in from a template"));
    } else if (!agents.contains(agent)) {
      out.add(
          new ConfigProblem(
              path,
              "agent \""
                  + agent
                  + "\" is not one the config has ("
                  + String.join(", ", new TreeSet<>(agents))
                  + ")"));
    } else if (!config.agentPreferences().allows(agent)) {
      out.add(
          new ConfigProblem(path, "agent \"" + agent + "\" is not in the config's agents.allow"));
    }
  }

  private void program(String run, String path, List<ConfigProblem> out) {
    List<String> words;
    try {
      words = CommandLine.split(run);
    } catch (IllegalArgumentException e) {
      out.add(new ConfigProblem(path, "cannot read the command: " + e.getMessage()));
      return;
    }
    if (words.isEmpty()) {
      out.add(new ConfigProblem(path, "the command is empty"));
      return;
    }
    String program = words.get(0);
    if (Templates.hasReference(program)) {
      out.add(
          new ConfigProblem(
              path, "the program must be written out, not filled in from a template"));
    } else if (!programs.contains(program)) {
      out.add(
          new ConfigProblem(
              path,
              "runs \""
                  + program
                  + "\", which the config does not run"
                  + (programs.isEmpty()
                      ? " (none is allowed: list it in pipelines.allowed_programs)"
                      : " (allowed: " + String.join(", ", programs) + ")")));
    }
  }

  private static Optional<String> firstWord(String command) {
    try {
      List<String> words = CommandLine.split(command);
      return words.isEmpty() ? Optional.empty() : Optional.of(words.get(0));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static PermissionMode lower(PermissionMode a, PermissionMode b) {
    return rank(a) <= rank(b) ? a : b;
  }

  private static int rank(PermissionMode m) {
    return switch (m) {
      case READ_ONLY -> 0;
      case UNATTENDED -> 1;
      case ALLOW_ALL -> 2;
    };
  }
}
