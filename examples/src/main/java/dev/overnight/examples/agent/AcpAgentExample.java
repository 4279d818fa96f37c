package dev.overnight.examples.agent;

import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.examples.SampleWorkspace;
import dev.overnight.fakes.ScriptedAgent;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Any command that speaks the Agent Client Protocol over stdio as an agent: configured under {@code
 * agents}, found as a runtime finds it, and given one prompt in a folder, as {@code overnight agent
 * try} does. The command here is the scripted ACP agent of {@code orchestration-fakes}; {@code npx
 * my-acp-agent} or any other works the same way.
 */
public final class AcpAgentExample {
  private AcpAgentExample() {}

  /** Runs the example in a temporary folder, printing what happens, then deletes the folder. */
  public static void main(String[] args)
      throws IOException, InterruptedException, ExecutionException, TimeoutException {
    try (SampleWorkspace workspace = SampleWorkspace.create()) {
      // In a config file: "agents": {"scripted": {"command": "java", "args": ["-cp", ...]}}
      OrchestrationConfig config =
          OrchestrationConfig.builder(ConfigValue.of(workspace.repository().toString()))
              .agents(Map.of("scripted", ScriptedAgent.command()))
              .build();
      StatePaths state = new StatePaths(workspace.root().resolve("state"));
      AgentProvider agent =
          OvernightRuntime.discover(config, state).agent("scripted").orElseThrow();
      System.out.println("Availability: " + agent.availability());

      // The agent works in this folder; its file and terminal requests cannot leave it.
      SessionRequest request = SessionRequest.builder(workspace.repository()).build();
      try (AgentSession session = agent.open(request)) {
        System.out.println("Session " + session.sessionId() + " started");
        AgentOutcome outcome = session.prompt("Write hello.txt").get(2, TimeUnit.MINUTES);
        System.out.println("Turn ended: " + outcome.stopReason().wireName());
      }
      System.out.println("Changed in the folder: " + workspace.git("status", "--short"));
    }
  }
}
