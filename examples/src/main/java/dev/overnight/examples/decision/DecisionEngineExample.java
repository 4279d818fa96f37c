package dev.overnight.examples.decision;

import dev.overnight.acp.AcpAgentProvider;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.decision.DecisionInputs;
import dev.overnight.core.decision.DecisionPlanner;
import dev.overnight.core.decision.PlanReport;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.examples.SampleWorkspace;
import dev.overnight.fakes.ScriptedAgent;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A decision engine of your own ({@link TidyReadmeEngine}) plugged in on the runtime's builder:
 * first asked what it would do and why, as {@code overnight plan --explain} asks any engine, then
 * run twice. The first cycle runs its task; the second finds nothing new, because the engine does
 * not repeat finished work.
 */
public final class DecisionEngineExample {
  /** The scripted agent's turn: it does what the engine asks, without a model. */
  private static final String TIDY_SCRIPT =
      """
      {"steps": [
        {"write": {"path": "README.md", "content": "# Sample\\n\\nA sample app. Run it with Java.\\n"}},
        {"message": "Tidied README.md."}
      ]}
      """;

  private DecisionEngineExample() {}

  /** Runs the example in a temporary folder, printing what happens, then deletes the folder. */
  public static void main(String[] args) throws IOException {
    try (SampleWorkspace workspace = SampleWorkspace.create()) {
      Path file =
          workspace.writeConfig(
              """
              {
                "id": "tidy",
                "workspace_root": "repo",
                "state_dir": "state",
                "schedule": {"expression": "0 2 * * *"}
              }
              """);
      OrchestrationConfig config = ConfigLoader.standard().load(file);
      AgentCommand agent = ScriptedAgent.command("--script-json", TIDY_SCRIPT);
      DecisionEngine engine = new TidyReadmeEngine("scripted");

      try (OvernightRuntime overnight =
          OvernightRuntime.builder(config)
              .agentProvider(AcpAgentProvider.command("scripted", agent))
              .decisionEngine(engine) // instead of the one the config's decision.engine names
              .coordinatorListener(DecisionEngineExample::print)
              .build()) {
        // What would run next and why, running nothing: the call behind `overnight plan`.
        PlanReport plan =
            new DecisionPlanner(engine)
                .plan(
                    DecisionInputs.builder(config, overnight.timeSource())
                        .agents(overnight.discovery().agentAvailability())
                        .build());
        System.out.println("Plan: " + plan.explanation().summary());
        plan.explanation()
            .decision()
            .ifPresent(d -> System.out.println("Because: " + d.rationale()));

        System.out.println("First cycle:");
        overnight.runOnce(); // the queue is empty, so the engine decides
        System.out.println("Second cycle:");
        overnight.runOnce(); // its task is done: nothing new to decide
      }
      String branch = workspace.git("branch", "--list", "overnight/*", "--format=%(refname:short)");
      System.out.println("README.md on " + branch + ":");
      System.out.println(workspace.git("show", branch + ":README.md"));
    }
  }

  private static void print(CoordinatorEvent event) {
    if (event instanceof CoordinatorEvent.Decided decided) {
      System.out.println("  Decided: " + decided.decision().title());
    } else if (event instanceof CoordinatorEvent.TaskEnded ended) {
      System.out.println("  Ended: " + ended.task().title() + ", " + ended.outcome());
    } else if (event instanceof CoordinatorEvent.NothingToDo nothing) {
      System.out.println("  Nothing to do: " + nothing.reason());
    }
  }
}
