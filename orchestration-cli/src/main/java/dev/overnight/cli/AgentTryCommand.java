package dev.overnight.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.AgentUnavailableException;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.PermissionPolicy;
import dev.overnight.api.agent.PlanEntry;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.Discovery;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code overnight agent try}: runs one prompt with one agent in a folder, under the unattended
 * permission policy and the usual confinement, and prints the agent's updates as they come.
 *
 * <p>Exit codes: 0 when the turn ends with {@code end_turn}; 1 when it ends with another stop
 * reason (printed); 2 for a usage error (unknown agent, missing folder); 3 when the agent cannot
 * run here (command not found, not logged in); 4 when the agent fails (crash, protocol error, usage
 * limit, timeout).
 */
@Command(
    name = "try",
    mixinStandardHelpOptions = true,
    description =
        "Run one prompt with an agent in a folder and print what it does, under the unattended"
            + " permission policy (edits and commands inside the folder only).")
public final class AgentTryCommand implements Callable<Integer> {
  static final int END_TURN = ExitCodes.OK;
  static final int OTHER_STOP = ExitCodes.FAILURE;
  static final int USAGE = ExitCodes.USAGE;
  static final int UNAVAILABLE = ExitCodes.AGENT_UNAVAILABLE;
  static final int FAILED = ExitCodes.AGENT_FAILED;

  /** The id {@code --command} runs under. */
  static final String COMMAND_AGENT = "acp";

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  AgentChoice agent;

  /** Either a known agent id or a command line. */
  static final class AgentChoice {
    @Option(
        names = "--agent",
        paramLabel = "ID",
        description = "A known agent: claude-code, codex, gemini, or an id from another provider.")
    String id;

    @Option(
        names = "--command",
        paramLabel = "\"CMD ARGS\"",
        description = "Any command that speaks ACP over stdio, e.g. \"npx my-agent --acp\".")
    String command;
  }

  @Option(
      names = "--workspace",
      required = true,
      paramLabel = "DIR",
      description = "The folder the agent works in (its file and terminal access stay inside).")
  Path workspace;

  @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "What to ask.")
  String prompt;

  @Option(names = "--json", description = "Print one JSON object per line instead of text.")
  boolean json;

  @Option(names = "--mode", paramLabel = "MODE", description = "A session mode, e.g. plan.")
  String mode;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "1800",
      description = "Cancel the turn after this many seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--transcript-dir",
      paramLabel = "DIR",
      description = "Write the session's JSONL transcript (secrets redacted) into this folder.")
  Path transcriptDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (prompt.isBlank()) {
      throw new ParameterException(
          spec.commandLine(), "the prompt is empty: say what the agent should do");
    }
    if (timeoutSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--timeout must be at least 1 second, not " + timeoutSeconds);
    }
    if (!Files.isDirectory(workspace)) {
      err.println(TerminalText.line("No such folder: " + workspace));
      return USAGE;
    }
    Optional<AgentProvider> found = provider(err);
    if (found.isEmpty()) {
      return USAGE;
    }
    AgentProvider provider = found.get();
    Availability availability = provider.availability();
    if (!availability.available()) {
      err.println(TerminalText.text("Cannot run " + provider.id() + ": " + availability.reason()));
      availability.remedy().ifPresent(r -> err.println(TerminalText.text("To fix: " + r)));
      return UNAVAILABLE;
    }
    SessionRequest.Builder request =
        SessionRequest.builder(workspace.toAbsolutePath())
            .permissionPolicy(PermissionPolicy.unattended())
            .cancelGrace(Duration.ofSeconds(10));
    if (mode != null) {
      request.mode(mode);
    }
    if (transcriptDir != null) {
      request.transcriptDirectory(transcriptDir.toAbsolutePath());
    }
    Printer printer = new Printer(out, json);
    AgentSession session;
    try {
      session = provider.open(request.build());
    } catch (AuthenticationRequiredException | AgentUnavailableException e) {
      err.println(TerminalText.text(e.getMessage()));
      return UNAVAILABLE;
    } catch (AgentException e) {
      err.println(TerminalText.text(e.getMessage()));
      return FAILED;
    }
    try {
      printer.session(session);
      session.updates().subscribe(printer);
      CompletableFuture<AgentOutcome> turn = session.prompt(prompt);
      AgentOutcome outcome;
      try {
        outcome = turn.get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        session.cancel();
        try {
          outcome = turn.get(15, TimeUnit.SECONDS);
        } catch (TimeoutException stillRunning) {
          session.close();
          printer.awaitEnd();
          err.println(
              TerminalText.line(
                  provider.id() + " did not stop within " + timeoutSeconds + " s; killed"));
          return FAILED;
        }
      }
      session.close();
      printer.awaitEnd();
      printer.outcome(outcome);
      if (outcome.stopReason() == StopReason.END_TURN) {
        return END_TURN;
      }
      err.println(TerminalText.line("The turn ended with " + outcome.stopReason().wireName()));
      return OTHER_STOP;
    } catch (ExecutionException e) {
      session.close();
      printer.awaitEnd();
      Throwable cause = e.getCause();
      err.println(TerminalText.text(cause.getMessage()));
      return cause instanceof AuthenticationRequiredException ? UNAVAILABLE : FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      session.close();
      err.println("Interrupted");
      return FAILED;
    } finally {
      session.close();
      out.flush();
      err.flush();
    }
  }

  /**
   * The agent to try, found as a runtime would find it: a known id, or {@code --command} as an ACP
   * agent configured under the id {@value #COMMAND_AGENT}.
   */
  private Optional<AgentProvider> provider(PrintWriter err) {
    OrchestrationConfig.Builder config =
        OrchestrationConfig.builder(ConfigValue.of(workspace.toAbsolutePath().toString()));
    String id = agent.id;
    if (agent.command != null) {
      List<String> argv;
      try {
        argv = CommandWords.split(agent.command);
      } catch (IllegalArgumentException e) {
        err.println(TerminalText.text("Cannot read --command: " + e.getMessage()));
        return Optional.empty();
      }
      if (argv.isEmpty()) {
        err.println("--command is empty");
        return Optional.empty();
      }
      id = COMMAND_AGENT;
      config.agents(
          Map.of(
              id,
              new AgentCommand(
                  ConfigValue.of(argv.get(0)),
                  argv.subList(1, argv.size()),
                  Map.of(),
                  Optional.empty())));
    }
    OrchestrationConfig cfg = config.build();
    Discovery discovery = OvernightRuntime.discover(cfg, StatePaths.of(Optional.empty(), cfg));
    discovery.problems().forEach(p -> err.println(TerminalText.line(p)));
    Optional<AgentProvider> p = discovery.agent(id);
    if (p.isEmpty()) {
      err.println(
          TerminalText.text(
              "Unknown agent '"
                  + id
                  + "'. Known agents: "
                  + String.join(
                      ", ", discovery.agents().stream().map(AgentProvider::id).toList())));
    }
    return p;
  }

  /**
   * Prints updates as they arrive: text for people, or JSON Lines, each line {@code {"type",
   * "data"}}: {@code started} (the session and agent), then one {@code session} line per update
   * whose data is the update as a canonical session event (as the dashboard's stream sends it),
   * then {@code outcome}.
   */
  private static final class Printer implements Flow.Subscriber<SessionUpdate> {
    private final PrintWriter out;
    private final boolean json;
    private final CompletableFuture<Void> end = new CompletableFuture<>();
    private boolean inMessage;
    private String sessionId = "";
    private String agentId = "";
    private long sequence;

    Printer(PrintWriter out, boolean json) {
      this.out = out;
      this.json = json;
    }

    synchronized void session(AgentSession session) {
      sessionId = session.sessionId();
      agentId = session.agentId();
      if (json) {
        ObjectNode data = OvernightJson.object();
        data.put("session_id", sessionId);
        data.put("agent_id", agentId);
        line("started", data);
      } else {
        out.println(
            TerminalText.line("Session " + session.sessionId() + " with " + session.agentId()));
      }
      out.flush();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public synchronized void onNext(SessionUpdate u) {
      if (json) {
        SessionEvent event =
            new SessionEvent(
                sessionId,
                agentId,
                Optional.empty(),
                ++sequence,
                InstantSource.system().instant(),
                u);
        line("session", OvernightJson.sessionEvent(event));
      } else {
        text(u);
      }
      out.flush();
    }

    private void text(SessionUpdate u) {
      if (u instanceof SessionUpdate.AgentMessageChunk) {
        out.print(TerminalText.text(((SessionUpdate.AgentMessageChunk) u).content().asText()));
        inMessage = true;
        return;
      }
      if (inMessage) {
        out.println();
        inMessage = false;
      }
      if (u instanceof SessionUpdate.AgentThoughtChunk) {
        out.println(
            TerminalText.text(
                "(thinking) " + ((SessionUpdate.AgentThoughtChunk) u).content().asText()));
      } else if (u instanceof SessionUpdate.ToolCall) {
        SessionUpdate.ToolCall t = (SessionUpdate.ToolCall) u;
        out.println(
            TerminalText.line(
                "-> "
                    + t.title()
                    + " ["
                    + t.toolKind().wireName()
                    + "]"
                    + t.status().map(s -> " " + s.wireName()).orElse("")));
      } else if (u instanceof SessionUpdate.ToolCallUpdate) {
        SessionUpdate.ToolCallUpdate t = (SessionUpdate.ToolCallUpdate) u;
        t.status()
            .ifPresent(
                s -> out.println(TerminalText.line("   " + t.toolCallId() + " " + s.wireName())));
      } else if (u instanceof SessionUpdate.Plan) {
        out.println("Plan:");
        for (PlanEntry e : ((SessionUpdate.Plan) u).entries()) {
          String box =
              e.status().equals("completed")
                  ? "[x]"
                  : e.status().equals("in_progress") ? "[~]" : "[ ]";
          out.println(TerminalText.line("  " + box + " " + e.content()));
        }
      } else if (u instanceof SessionUpdate.CurrentMode) {
        out.println(TerminalText.line("(mode) " + ((SessionUpdate.CurrentMode) u).modeId()));
      } else if (u instanceof SessionUpdate.UsageUpdate) {
        SessionUpdate.UsageUpdate usage = (SessionUpdate.UsageUpdate) u;
        out.println(
            TerminalText.line(
                "(context) "
                    + usage.used()
                    + "/"
                    + usage.size()
                    + usage
                        .costAmount()
                        .map(
                            c ->
                                String.format(
                                    java.util.Locale.ROOT,
                                    " cost %.4f %s",
                                    c,
                                    usage.currency().orElse("")))
                        .orElse("")));
      }
    }

    synchronized void outcome(AgentOutcome outcome) {
      Usage usage = outcome.usage();
      if (json) {
        line("outcome", OvernightJson.agentOutcome(outcome));
      } else {
        if (inMessage) {
          out.println();
          inMessage = false;
        }
        List<String> parts = new ArrayList<>();
        parts.add(usage.inputTokens() + " tokens in");
        parts.add(usage.outputTokens() + " out");
        usage.costUsd().ifPresent(c -> parts.add(String.format(java.util.Locale.ROOT, "$%.4f", c)));
        out.println(
            "Turn ended: "
                + outcome.stopReason().wireName()
                + " ("
                + String.join(", ", parts)
                + ")");
      }
      out.flush();
    }

    private void line(String type, ObjectNode data) {
      ObjectNode line = OvernightJson.object();
      line.put("type", type);
      line.set("data", data);
      out.println(OvernightJson.write(line));
    }

    @Override
    public void onError(Throwable throwable) {
      end.complete(null);
    }

    @Override
    public void onComplete() {
      end.complete(null);
    }

    void awaitEnd() {
      try {
        end.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // Printing is best effort; the outcome is what counts.
      }
      synchronized (this) {
        if (inMessage && !json) {
          out.println();
          inMessage = false;
        }
      }
    }
  }
}
