package dev.overnight.examples.stream;

import dev.overnight.acp.AcpAgentProvider;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.hub.HubItem;
import dev.overnight.core.hub.HubSubscription;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.examples.SampleWorkspace;
import dev.overnight.fakes.ScriptedAgent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Every agent's updates, streamed to your own code while a task runs: a subscriber on {@link
 * OvernightRuntime#sessions()} prints each one as it arrives — the same stream the dashboard and
 * the WebSocket bridge read.
 */
public final class SessionStreamExample {
  private SessionStreamExample() {}

  /** Runs the example in a temporary folder, printing what happens, then deletes the folder. */
  public static void main(String[] args) throws IOException, InterruptedException {
    try (SampleWorkspace workspace = SampleWorkspace.create()) {
      Path file =
          workspace.writeConfig(
              """
              {
                "id": "stream",
                "workspace_root": "repo",
                "state_dir": "state",
                "schedule": {"expression": "0 2 * * *"}
              }
              """);
      OrchestrationConfig config = ConfigLoader.standard().load(file);
      try (OvernightRuntime overnight =
          OvernightRuntime.builder(config)
              .agentProvider(AcpAgentProvider.command("scripted", ScriptedAgent.command()))
              .decisionEngine(context -> Optional.empty()) // run only what is enqueued here
              .build()) {
        CountDownLatch sessionEnded = new CountDownLatch(1);
        // Called on the stream's own threads, one item at a time, in order.
        try (HubSubscription subscription =
            overnight
                .sessions()
                .subscribe(
                    item -> {
                      if (item instanceof HubItem.Event e) {
                        System.out.println(describe(e.event()));
                      } else if (item instanceof HubItem.Gap gap) {
                        System.out.println("(" + gap.dropped() + " updates dropped: too slow)");
                      } else if (item instanceof HubItem.Ended ended) {
                        System.out.println("Session ended: " + ended.session().agentId());
                        sessionEnded.countDown();
                      }
                    })) {
          overnight.taskQueue().enqueue(TaskSpec.builder("Write hello.txt").build());
          overnight.runOnce();
          // The task has ended; wait for its last updates to reach the subscriber.
          if (!sessionEnded.await(1, TimeUnit.MINUTES)) {
            System.out.println("The session did not end");
          }
        }
      }
    }
  }

  private static String describe(SessionEvent event) {
    SessionUpdate u = event.update();
    String what;
    if (u instanceof SessionUpdate.AgentMessageChunk m) {
      what = m.content().asText();
    } else if (u instanceof SessionUpdate.AgentThoughtChunk t) {
      what = t.content().asText();
    } else if (u instanceof SessionUpdate.ToolCall call) {
      what = call.title();
    } else if (u instanceof SessionUpdate.ToolCallUpdate update) {
      what = update.toolCallId() + update.status().map(s -> " " + s.wireName()).orElse("");
    } else if (u instanceof SessionUpdate.Plan plan) {
      what =
          plan.entries().stream()
              .map(p -> p.content() + " (" + p.status() + ")")
              .collect(Collectors.joining(", "));
    } else {
      what = ""; // usage, modes, commands, and kinds newer than this code (SessionUpdate.Unknown)
    }
    what = what.strip().replace('\n', ' '); // one line per update
    return "#" + event.sequence() + " " + u.kind() + (what.isEmpty() ? "" : ": " + what);
  }
}
