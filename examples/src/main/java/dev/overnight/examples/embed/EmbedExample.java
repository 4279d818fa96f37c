package dev.overnight.examples.embed;

import dev.overnight.acp.AcpAgentProvider;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.store.Store;
import dev.overnight.api.store.StoreProvider;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.examples.SampleWorkspace;
import dev.overnight.fakes.ScriptedAgent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Overnight inside a plain Java application: load a config, assemble the runtime, enqueue a task,
 * run one cycle now, and read the task back from the store afterwards.
 *
 * <p>The runtime keeps its queue in SQLite because {@code orchestration-sqlite} is on the class
 * path: nothing in this code names it. The agent is the scripted ACP agent of {@code
 * orchestration-fakes}, so no account or key is needed; any ACP command line works the same way.
 */
public final class EmbedExample {
  private EmbedExample() {}

  /** Runs the example in a temporary folder, printing what happens, then deletes the folder. */
  public static void main(String[] args) throws IOException {
    try (SampleWorkspace workspace = SampleWorkspace.create()) {
      // Relative paths resolve against the config file's folder.
      Path file =
          workspace.writeConfig(
              """
              {
                "id": "embedded",
                "workspace_root": "repo",
                "state_dir": "state",
                "schedule": {"expression": "0 2 * * *"}
              }
              """);
      OrchestrationConfig config = ConfigLoader.standard().load(file);
      AgentCommand agent = ScriptedAgent.command(); // e.g. "npx my-acp-agent" for a real one

      StatePaths paths;
      Task queued;
      try (OvernightRuntime overnight =
          OvernightRuntime.builder(config)
              .agentProvider(AcpAgentProvider.command("scripted", agent))
              // Only what is enqueued here runs: without this, the config's decision engine
              // would pick more work from the repository once the queue is empty.
              .decisionEngine(context -> Optional.empty())
              .coordinatorListener(EmbedExample::print)
              .build()) {
        paths = overnight.paths();
        String store =
            overnight.discovery().storeProvider().map(StoreProvider::name).orElse("none");
        System.out.println("Store: " + store + " (" + paths.database().getFileName() + ")");

        EnqueueResult result =
            overnight
                .taskQueue()
                .enqueue(TaskSpec.builder("Write hello.txt").agentId("scripted").build());
        queued = result.task();
        System.out.println("Enqueued " + queued.id().shortId() + ": " + queued.title());

        overnight.runOnce(); // one cycle now; overnight.start() runs them on schedule instead
      }

      // The runtime is closed; the task stays in the state folder for any later run to read.
      try (Store store = OvernightRuntime.openStore(config, paths)) {
        Task task = store.taskQueue().get(queued.id()).orElseThrow();
        String branch = task.metadata().get("branch");
        System.out.println("Read back: " + task.status() + " on branch " + branch);
        System.out.println("hello.txt there says: " + workspace.git("show", branch + ":hello.txt"));
      }
    }
  }

  private static void print(CoordinatorEvent event) {
    if (event instanceof CoordinatorEvent.TaskStarted started) {
      System.out.println("Started: " + started.task().title() + " with " + started.agentId());
    } else if (event instanceof CoordinatorEvent.TaskEnded ended) {
      System.out.println("Ended: " + ended.task().title() + ", " + ended.outcome());
    }
  }
}
