package dev.overnight.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.acp.AcpAgentProvider;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.report.ReportWriter;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.fakes.ScriptedAgent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The machine a test night runs on: a user's repository, a state folder beside it (never inside
 * it), virtual time, a recorder, and scripted ACP agents started as real processes.
 */
final class World {
  static final ObjectMapper JSON = new ObjectMapper();

  final Path root;
  final Repo repo;
  final Path state;
  final Path scripts;
  final ManualTimeSource time;
  final Recorder recorder = new Recorder();

  World(Path root, Instant start) {
    this.root = root;
    this.repo = Repo.init(root.resolve("repo"));
    this.state = mkdirs(root.resolve("state"));
    this.scripts = mkdirs(root.resolve("scripts"));
    this.time = new ManualTimeSource(start);
  }

  /**
   * The configuration of a night on this world's repository: UTC, state folder outside the
   * checkout, and only Overnight's own transcripts as session history (the machine's Claude Code
   * and Codex histories would make decisions depend on who runs the test).
   */
  OrchestrationConfig.Builder config() {
    return OrchestrationConfig.builder(ConfigValue.of(repo.dir.toString()))
        .id("e2e")
        .schedule(Schedule.cron("*/30 1-5 * * *").withTimezone(ZoneOffset.UTC))
        .stateDir(Optional.of(ConfigValue.of(state.toString())))
        .decision(new DecisionSettings(30, 20, List.of("overnight")));
  }

  /** Writes a script for the scripted agent; tests may rewrite it between attempts. */
  Path script(String name, String json) {
    Path file = scripts.resolve(name + ".json");
    try {
      JSON.readTree(json); // fail here, not in the agent, on a typo
      Files.writeString(file, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Where the agent playing {@code script} records what the client answered it. */
  Path recordOf(Path script) {
    return scripts.resolve(script.getFileName().toString().replace(".json", ".record.jsonl"));
  }

  /**
   * The scripted agent as agent {@code id}, started from {@code script} for every session, through
   * the real ACP provider on this world's virtual time. Built-in ids get an API key variable so
   * their credential check passes as on a machine where the user logged in. The stand-in runs its
   * commands through the client's terminals, which run in the sandbox; its own process does not (it
   * reads its script and writes its record outside the worktree).
   */
  AgentProvider agent(String id, Path script) {
    return AcpAgentProvider.builder(id)
        .agentCommand(
            ScriptedAgent.command(
                "--script", script.toString(), "--record", recordOf(script).toString()))
        .confineAgentProcess(false)
        .environment("ANTHROPIC_API_KEY", "sk-test-not-a-secret")
        .environment("OPENAI_API_KEY", "sk-test-not-a-secret")
        .timeSource(time)
        .build();
  }

  /** A coordinator wired to this world: its time, state folder, recorder and report. */
  AgentCoordinator.Builder coordinator(
      OrchestrationConfig config,
      TaskQueue queue,
      Optional<SchedulerStateStore> cycles,
      List<AgentProvider> agents) {
    ReportWriter report = reportWriter(config, queue, cycles);
    return AgentCoordinator.builder(config)
        .taskQueue(queue)
        .agentProviders(agents)
        .timeSource(time)
        .stateDir(state)
        .workerId("e2e-worker")
        .listener(recorder)
        .sessionSink(recorder)
        .reportWriter(report);
  }

  ReportWriter reportWriter(
      OrchestrationConfig config, TaskQueue queue, Optional<SchedulerStateStore> cycles) {
    return new ReportWriter(config.id(), queue, cycles, ZoneOffset.UTC, reports());
  }

  Path reports() {
    return state.resolve("reports");
  }

  /** The latest Markdown report. */
  String report() {
    return read(reports().resolve("latest.md"));
  }

  /** The latest HTML report. */
  String htmlReport() {
    return read(reports().resolve("latest.html"));
  }

  /** Every task of the queue, in claim order, then finished ones most recent first. */
  static List<Task> tasks(TaskQueue queue) {
    return queue.list(TaskFilter.all().page(0, TaskFilter.MAX_LIMIT)).items();
  }

  /** The lines the agent playing {@code script} recorded, in order. */
  List<JsonNode> recorded(Path script) {
    Path file = recordOf(script);
    List<JsonNode> lines = new ArrayList<>();
    if (!Files.exists(file)) {
      return lines;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        lines.add(JSON.readTree(line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  /** The prompts the agent playing {@code script} was sent (with {@code recordPrompts}). */
  List<String> prompts(Path script) {
    return recorded(script).stream()
        .filter(n -> n.path("step").asText().equals("prompt"))
        .map(n -> n.path("answer").path("prompt").path(0).path("text").asText())
        .toList();
  }

  /**
   * The session's transcript, as the ACP provider wrote it: every message both ways and its own
   * notes, each line {@code {"at", "from", "msg"}}.
   */
  List<JsonNode> transcript(String agentId, String sessionId) {
    Path file = state.resolve("transcripts").resolve(agentId + "-" + sessionId + ".jsonl");
    List<JsonNode> lines = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        lines.add(JSON.readTree(line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  /** When the client sent the session {@code session/cancel}, by the transcript. */
  List<String> cancelsSent(String agentId, String sessionId) {
    return transcript(agentId, sessionId).stream()
        .filter(l -> l.path("from").asText().equals("client"))
        .filter(l -> l.path("msg").path("method").asText().equals("session/cancel"))
        .map(l -> l.path("at").asText())
        .toList();
  }

  /** The agent's process id: the scripted agent names its sessions after it. */
  static long pidOf(String sessionId) {
    return Long.parseLong(sessionId.substring(sessionId.lastIndexOf('-') + 1));
  }

  /** Whether the process has ended (waiting for the kernel to say so, within the safety net). */
  static boolean ended(long pid) {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty()) {
      return true;
    }
    try {
      p.get().onExit().get(Recorder.SAFETY_NET.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return !p.get().isAlive();
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path mkdirs(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
