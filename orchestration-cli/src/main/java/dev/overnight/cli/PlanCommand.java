package dev.overnight.cli;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentProviderFactory;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.decision.DecisionInputs;
import dev.overnight.core.decision.DecisionPlanner;
import dev.overnight.core.decision.Plan;
import dev.overnight.core.spi.ProviderLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overnight plan}: what the decision engine would pick next, and with {@code --explain} why.
 * Runs nothing and changes nothing: it reads the git history with read-only commands and the
 * session histories, and asks the agent providers on the class path whether their agents are
 * available.
 */
@Command(
    name = "plan",
    description = {
      "Show what would run next and why, without running anything or changing the repository.",
      "The decision reads the workspace's git history, past agent sessions, goals and focus."
    },
    mixinStandardHelpOptions = true)
public final class PlanCommand implements Callable<Integer> {
  /** The agents Overnight knows by id, shown even when no provider module is installed. */
  static final List<String> BUILT_IN_AGENTS = List.of("claude-code", "codex", "gemini");

  static final String ACP_MODULE = "dev.overnight:orchestration-agents-acp";

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The config file (default: ${DEFAULT-VALUE}).",
      defaultValue = "overnight.json")
  Path config;

  @Option(
      names = "--explain",
      description = "Show the task, file, agent, signals with their weights, and the inputs read.")
  boolean explain;

  @Option(names = "--json", description = "Print the whole plan as JSON.")
  boolean json;

  @Override
  public Integer call() {
    OrchestrationConfig cfg = ConfigLoader.standard().load(config);
    Map<String, Availability> agents =
        agentAvailability(cfg, ProviderLoader.standard(), spec.commandLine().getErr());
    Plan plan =
        DecisionPlanner.standard()
            .plan(DecisionInputs.builder(cfg, InstantSource.system()).agents(agents).build());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(plan.toJson());
    } else if (explain) {
      out.print(plan.toText());
    } else {
      out.println(plan.explanation().summary());
      out.println("(overnight plan --explain --config " + config + " shows why)");
    }
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * Every agent the config may use, with its availability: from the agent providers found on the
   * class path, and for the built-in and configured ids no provider serves, unavailable with the
   * module to add.
   */
  static Map<String, Availability> agentAvailability(
      OrchestrationConfig cfg, ProviderLoader loader, PrintWriter warnings) {
    Map<String, Availability> agents = new LinkedHashMap<>();
    for (AgentProviderFactory factory : loader.load(AgentProviderFactory.class)) {
      List<AgentProvider> providers;
      try {
        providers = new ArrayList<>(factory.create(cfg));
      } catch (RuntimeException | LinkageError e) {
        warnings.println(
            "warning: agent provider factory " + factory.getClass().getName() + " failed: " + e);
        continue;
      }
      for (AgentProvider p : providers) {
        agents.computeIfAbsent(p.id(), id -> availability(p));
      }
    }
    Set<String> ids = new LinkedHashSet<>(BUILT_IN_AGENTS);
    ids.addAll(cfg.agents().keySet());
    ids.addAll(cfg.agentPreferences().prefer());
    ids.addAll(cfg.agentPreferences().allow());
    for (String id : ids) {
      agents.computeIfAbsent(
          id,
          x ->
              Availability.unavailable(
                  "no provider for agent " + x + " on the class path", "add " + ACP_MODULE));
    }
    return agents;
  }

  private static Availability availability(AgentProvider p) {
    try {
      return p.availability();
    } catch (RuntimeException | LinkageError e) {
      return Availability.unavailable(
          "checking " + p.id() + " failed: " + e, "run overnight doctor for details");
    }
  }
}
