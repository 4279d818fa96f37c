package dev.overnight.core.rehearsal.internal;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.config.AgentPreferences;
import dev.overnight.core.rehearsal.RehearsalFinding;
import dev.overnight.core.spi.Discovery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether each allowed agent can work tonight: available in the service's context (its command on
 * the service's {@code PATH}, its credentials there), then probed: started, initialized,
 * authenticated and a session opened, without a prompt ({@link AgentProvider#probe}). Blocks
 * through each agent's start-up, one agent after another.
 */
public final class AgentProbes {
  private final List<AgentProvider> agents;
  private final AgentPreferences preferences;
  private final EnvironmentHints hints;
  private final Function<Path, SessionRequest> request;

  /**
   * @param agents the agents found, made with the service's environment
   * @param preferences which agents may work
   * @param hints what this shell has that the service lacks
   * @param request the probe's session request for a working folder
   */
  public AgentProbes(
      List<AgentProvider> agents,
      AgentPreferences preferences,
      EnvironmentHints hints,
      Function<Path, SessionRequest> request) {
    this.agents = List.copyOf(agents);
    this.preferences = Objects.requireNonNull(preferences, "preferences");
    this.hints = Objects.requireNonNull(hints, "hints");
    this.request = Objects.requireNonNull(request, "request");
  }

  /**
   * Probes every allowed agent in {@code folder}, adding what happened to {@code out}.
   *
   * @return the ids of the allowed agents
   */
  public List<String> run(Path folder, List<RehearsalFinding> out) {
    List<String> allowed = new ArrayList<>();
    int working = 0;
    for (AgentProvider agent : agents) {
      String id = agent.id();
      if (!preferences.allows(id)) {
        continue;
      }
      allowed.add(id);
      if (probe(agent, id, folder, out)) {
        working++;
      }
    }
    if (allowed.isEmpty()) {
      out.add(
          RehearsalFinding.problem(
              "agents",
              "no agent is allowed to work: tasks have nobody to run them",
              "list an installed agent in agent_preferences.allow (or leave it empty for every"
                  + " agent), or add one under agents"));
    } else if (working == 0 && allowed.size() > 1) {
      out.add(
          RehearsalFinding.problem(
              "agents",
              "none of the allowed agents (" + String.join(", ", allowed) + ") can work tonight",
              "fix one of them as its finding says"));
    }
    return allowed;
  }

  private boolean probe(AgentProvider agent, String id, Path folder, List<RehearsalFinding> out) {
    String area = "agent " + id;
    Availability a = Discovery.availabilityOf(agent);
    if (!a.available()) {
      String text = a.reason() + " " + a.remedy().orElse("");
      out.add(
          RehearsalFinding.problem(
              area,
              "cannot start in the service's context: " + a.reason(),
              fixFor(text).or(a::remedy).orElse("run `overnight doctor` for details")));
      return false;
    }
    try {
      agent.probe(request.apply(folder));
    } catch (AuthenticationRequiredException e) {
      String message = String.valueOf(e.getMessage());
      out.add(
          RehearsalFinding.problem(
              area,
              "cannot log in as the service: " + message,
              fixFor(message)
                  .orElse(
                      "log "
                          + id
                          + " in as the user the service runs as, or put its key in the service's"
                          + " environment")));
      return false;
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      out.add(
          RehearsalFinding.problem(
              area,
              "did not open a session: " + message,
              fixFor(message)
                  .orElse(
                      "see the whole exchange with: overnight agent try --agent "
                          + id
                          + " --workspace "
                          + folder
                          + " --prompt hello")));
      return false;
    }
    out.add(
        RehearsalFinding.ok(
            area,
            "started, initialized and opened a session without a prompt (" + a.reason() + ")"));
    return true;
  }

  /** The fix when the service lacks something this shell has: a key, or a folder on PATH. */
  private Optional<String> fixFor(String text) {
    List<String> keys = hints.variablesOnlyThisShellHas(text);
    if (!keys.isEmpty()) {
      return Optional.of(hints.putKeys(keys));
    }
    for (String token : text.split("[^A-Za-z0-9._+/-]+")) {
      String word = token.replaceAll("\\.+$", "");
      if (word.isEmpty()) {
        continue;
      }
      Optional<Path> folder = hints.folderOnlyThisShellHas(word);
      if (folder.isPresent()) {
        return Optional.of(hints.addToPath(folder.get()));
      }
    }
    return Optional.empty();
  }
}
