package dev.overnight.server;

import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.PlanEntry;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.ToolCallContent;
import dev.overnight.api.agent.ToolCallStatus;
import dev.overnight.api.agent.ToolKind;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.decision.Signal;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskPriority;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Session updates, decisions and a clock for the server's tests. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-25T23:30:00Z");
  static final InstantSource CLOCK = InstantSource.fixed(NOW);

  private Fixtures() {}

  static SessionEvent event(String session, long sequence, SessionUpdate update) {
    return event(session, Optional.empty(), sequence, update);
  }

  static SessionEvent event(
      String session, Optional<TaskId> task, long sequence, SessionUpdate update) {
    return new SessionEvent(
        session, "claude-code", task, sequence, NOW.plusSeconds(sequence), update);
  }

  static SessionEvent message(String session, long sequence, String text) {
    return event(
        session, sequence, new SessionUpdate.AgentMessageChunk(new ContentBlock.Text(text)));
  }

  static SessionUpdate thought(String text) {
    return new SessionUpdate.AgentThoughtChunk(new ContentBlock.Text(text));
  }

  static SessionUpdate plan(String... steps) {
    return new SessionUpdate.Plan(
        java.util.Arrays.stream(steps)
            .map(s -> new PlanEntry(s, "high", s.startsWith("done:") ? "completed" : "pending"))
            .toList());
  }

  static SessionUpdate editWithDiff(String id, String path, String oldText, String newText) {
    return new SessionUpdate.ToolCall(
        id,
        "Edit " + path,
        ToolKind.EDIT,
        Optional.of(ToolCallStatus.IN_PROGRESS),
        List.of(new ToolCallContent.Diff(path, Optional.of(oldText), newText)),
        List.of(path),
        Optional.of("{\"path\":\"" + path + "\"}"));
  }

  static SessionUpdate toolDone(String id) {
    return new SessionUpdate.ToolCallUpdate(
        id,
        Optional.empty(),
        Optional.of(ToolCallStatus.COMPLETED),
        Optional.empty(),
        Optional.empty(),
        Optional.of("{\"ok\":true}"));
  }

  static Decision decision(String title, String rationale) {
    return new Decision(
        title,
        "Write tests for src/Parser.java",
        "codex",
        TaskPriority.MEDIUM,
        DecisionPath.TESTS,
        Optional.of("src/Parser.java"),
        rationale,
        0.8,
        List.of(new Signal("file_touches", "src/Parser.java: 27", 0.7)),
        Duration.ofMinutes(20),
        Map.of());
  }
}
