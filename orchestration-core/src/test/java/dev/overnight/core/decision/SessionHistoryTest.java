package dev.overnight.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.decision.SessionRecord;
import dev.overnight.core.decision.internal.JsonLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history readers on small real-shaped fixtures ({@code src/test/resources/history/}).
 *
 * <p>Where the shapes come from: Claude Code's lines follow the published reverse-engineered
 * schemas of its {@code ~/.claude/projects} files (e.g. github.com/oneryalcin/agent-schemas, {@code
 * claude-code/v2.1.1/session.schema.json}: {@code type}, {@code cwd}, {@code sessionId}, {@code
 * message.content} blocks, {@code tool_use} inputs with {@code file_path}) and the project folder
 * naming confirmed on anthropics/claude-code#70076 (every non-alphanumeric character becomes {@code
 * -}). Codex's lines follow {@code RolloutLine}/{@code RolloutItem} of openai/codex ({@code
 * codex-rs/protocol/src/protocol.rs}: {@code {timestamp, type, payload}} with {@code session_meta},
 * {@code response_item}, {@code turn_context}, {@code event_msg}; {@code
 * PatchApplyEndEvent.changes} keyed by path; {@code apply_patch} bodies with {@code *** Update
 * File:} headers). Overnight's own transcripts are raw ACP JSON-RPC messages (reference/acp.md), in
 * and out of envelopes.
 */
class SessionHistoryTest {
  static final Instant SINCE = Instant.parse("2024-12-21T00:00:00Z");

  @TempDir Path tmp;
  Path ws;
  Path home;

  @BeforeEach
  void dirs() throws IOException {
    ws = Files.createDirectories(tmp.resolve("work/my_app.v2"));
    home = Files.createDirectories(tmp.resolve("home"));
  }

  Map<String, String> vars() {
    return Map.of("WORKSPACE", ws.toString());
  }

  Path claudeProject(Path cwd) {
    return home.resolve(".claude/projects").resolve(ClaudeCodeHistory.projectSlug(cwd));
  }

  @Nested
  class ClaudeCode {
    @Test
    void slugReplacesEveryNonAlphanumericCharacter() {
      assertThat(ClaudeCodeHistory.projectSlug(Path.of("/home/u/my_app.v2")))
          .isEqualTo("-home-u-my-app-v2");
    }

    @Test
    void readsPromptsAndFilesOfSessionsInTheWorkspaceNewestFirst() {
      Fixtures.install(
          "claude/session-refactor.jsonl",
          claudeProject(ws).resolve("4f35e220-c435-4cf7-b9b9-f40426042847.jsonl"),
          vars());
      Fixtures.install(
          "claude/session-subfolder.jsonl",
          claudeProject(ws.resolve("web")).resolve("7d1e5a90-2c1b-4d8e-a0f3-6b9c8e7d5a41.jsonl"),
          vars());
      Fixtures.install(
          "claude/session-other-project.jsonl",
          claudeProject(Path.of(ws + "-other")).resolve("aaaaaaaa.jsonl"),
          vars());
      Fixtures.install("claude/session-old.jsonl", claudeProject(ws).resolve("0ld.jsonl"), vars());

      List<SessionRecord> records = ClaudeCodeHistory.forUser(home, Map.of()).read(ws, SINCE, 10);

      assertThat(records)
          .extracting(SessionRecord::sessionId)
          .containsExactly(
              "7d1e5a90-2c1b-4d8e-a0f3-6b9c8e7d5a41", "4f35e220-c435-4cf7-b9b9-f40426042847");
      SessionRecord web = records.get(0);
      assertThat(web.workspace()).contains(ws.resolve("web").toString());
      assertThat(web.prompts()).containsExactly("fix the date picker");
      assertThat(web.filesTouched()).containsExactly("web/picker.ts");

      SessionRecord main = records.get(1);
      assertThat(main.source()).isEqualTo("claude-code");
      assertThat(main.startedAt()).contains(Instant.parse("2025-01-14T09:00:00Z"));
      assertThat(main.workspace()).contains(ws.toString());
      assertThat(main.prompts())
          .containsExactly(
              "The parser's error handling is a mess, please refactor it into typed exceptions",
              "Also add a test for the lexer");
      assertThat(main.filesTouched())
          .containsExactly(
              "src/main/java/app/Parser.java",
              "src/main/java/app/ParseException.java",
              "src/main/java/app/Lexer.java",
              "notebooks/explore.ipynb");
    }

    @Test
    void honoursTheLimitAndClaudeConfigDir() {
      Path custom = tmp.resolve("claude-config");
      Path project = custom.resolve("projects").resolve(ClaudeCodeHistory.projectSlug(ws));
      Fixtures.install("claude/session-refactor.jsonl", project.resolve("a.jsonl"), vars());
      Fixtures.install(
          "claude/session-subfolder.jsonl",
          project.resolve("b.jsonl"),
          Map.of("WORKSPACE", ws.toString()));
      ClaudeCodeHistory h =
          ClaudeCodeHistory.forUser(home, Map.of("CLAUDE_CONFIG_DIR", custom.toString()));
      assertThat(h.read(ws, SINCE, 1)).hasSize(1);
      assertThat(h.read(ws, SINCE, 0)).isEmpty();
    }
  }

  @Nested
  class Codex {
    @Test
    void readsRolloutsOfTheWorkspace() {
      Path sessions = home.resolve(".codex/sessions");
      Fixtures.install(
          "codex/rollout-tests.jsonl",
          sessions.resolve(
              "2025/01/15/rollout-2025-01-15T10-00-00-0199a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b.jsonl"),
          vars());
      Fixtures.install(
          "codex/rollout-elsewhere.jsonl",
          sessions.resolve(
              "2025/01/16/rollout-2025-01-16T08-00-00-0199ffff-0000-7000-8000-000000000000.jsonl"),
          vars());
      Fixtures.install(
          "codex/rollout-old.jsonl",
          sessions.resolve(
              "2024/11/01/rollout-2024-11-01T08-00-00-0192aaaa-0000-7000-8000-000000000000.jsonl"),
          vars());

      List<SessionRecord> records = CodexHistory.forUser(home, Map.of()).read(ws, SINCE, 10);

      assertThat(records).hasSize(1);
      SessionRecord r = records.get(0);
      assertThat(r.source()).isEqualTo("codex");
      assertThat(r.sessionId()).isEqualTo("0199a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b");
      assertThat(r.startedAt()).contains(Instant.parse("2025-01-15T10:00:00.100Z"));
      assertThat(r.workspace()).contains(ws.toString());
      assertThat(r.prompts())
          .containsExactly("add tests for the lexer and clean up its error handling");
      assertThat(r.filesTouched())
          .containsExactly(
              "src/test/java/app/LexerTest.java",
              "src/main/java/app/Lexer.java",
              "src/main/java/app/Token.java");
    }

    @Test
    void fallsBackToUserMessagesAndHonoursCodexHome() throws IOException {
      Path codexHome = tmp.resolve("codex-home");
      Path rollout = codexHome.resolve("sessions/2025/01/18/rollout-2025-01-18T00-00-00-x.jsonl");
      Files.createDirectories(rollout.getParent());
      Files.writeString(
          rollout,
          "{\"timestamp\":\"2025-01-18T00:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"s1\","
              + "\"cwd\":\""
              + ws
              + "\"}}\n"
              + "{\"timestamp\":\"2025-01-18T00:00:01Z\",\"type\":\"response_item\",\"payload\":"
              + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
              + "\"text\":\"<user_instructions>be nice</user_instructions>\"},{\"type\":\"input_text\","
              + "\"text\":\"restructure the build\"}]}}\n");
      List<SessionRecord> records =
          CodexHistory.forUser(home, Map.of("CODEX_HOME", codexHome.toString()))
              .read(ws, SINCE, 10);
      assertThat(records)
          .singleElement()
          .satisfies(r -> assertThat(r.prompts()).containsExactly("restructure the build"));
    }
  }

  @Nested
  class Overnight {
    @Test
    void readsAcpMessagesWrappedOrNot() {
      Path state = tmp.resolve("state");
      Path worktree = state.resolve("worktrees/task-1");
      Fixtures.install(
          "overnight/task-1.jsonl",
          state.resolve("transcripts/task-1.jsonl"),
          Map.of("WORKTREE", worktree.toString()));

      List<SessionRecord> records =
          OvernightTranscripts.inStateDirectory(state).read(ws, SINCE, 10);

      assertThat(records)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.source()).isEqualTo("overnight");
                assertThat(r.sessionId()).isEqualTo("sess-overnight-1");
                assertThat(r.workspace()).contains(worktree.toString());
                assertThat(r.startedAt()).contains(Instant.parse("2025-01-17T01:00:00Z"));
                assertThat(r.prompts())
                    .singleElement()
                    .asString()
                    .startsWith("Refactor src/main/java/app/Parser.java");
                assertThat(r.filesTouched())
                    .containsExactly(
                        "src/main/java/app/Parser.java",
                        "src/main/java/app/Lexer.java",
                        "src/main/java/app/ParseException.java",
                        "src/main/java/app/Token.java");
              });
    }

    @Test
    void sessionsOfAnotherWorkspaceAreLeftOut() {
      Path state = tmp.resolve("state");
      Fixtures.install(
          "overnight/task-1.jsonl",
          state.resolve("transcripts/2025/task-1.jsonl"),
          Map.of("WORKTREE", tmp.resolve("elsewhere").toString()));
      assertThat(OvernightTranscripts.inStateDirectory(state).read(ws, SINCE, 10)).isEmpty();
    }
  }

  @Nested
  class Malformed {
    @Test
    void missingFoldersGiveNoSessions() {
      assertThat(ClaudeCodeHistory.forUser(home, Map.of()).read(ws, SINCE, 10)).isEmpty();
      assertThat(CodexHistory.forUser(home, Map.of()).read(ws, SINCE, 10)).isEmpty();
      assertThat(OvernightTranscripts.inStateDirectory(tmp.resolve("none")).read(ws, SINCE, 10))
          .isEmpty();
    }

    @Test
    void badLinesBinaryGarbageAndDirectoriesAreSkipped() throws IOException {
      Path project = claudeProject(ws);
      Files.createDirectories(project);
      String user =
          "{\"type\":\"user\",\"cwd\":\""
              + ws
              + "\",\"sessionId\":\"ok\",\"timestamp\":"
              + "\"2025-01-10T00:00:00Z\",\"message\":{\"role\":\"user\",\"content\":\"cleanup please\"}}";
      String edit =
          "{\"type\":\"assistant\",\"cwd\":\""
              + ws
              + "\",\"sessionId\":\"ok\",\"timestamp\":"
              + "\"2025-01-10T00:00:01Z\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":"
              + "\"tool_use\",\"id\":\"t\",\"name\":\"Edit\",\"input\":{\"file_path\":\"src/A.java\"}}]}}";
      List<String> lines =
          List.of(
              "not json at all",
              "{\"truncated\": ",
              "[1, 2, 3]",
              "{\"type\":\"user\",\"message\":\"a string, not an object\"}",
              "{\"type\":\"assistant\",\"message\":{\"content\":\"a string, not blocks\"}}",
              "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"name\":\"Edit\",\"input\":\"x\"}]}}",
              "{\"type\":\"user\",\"timestamp\":\"yesterday\",\"cwd\":42}",
              user,
              "\u0000\u0001\u0002",
              edit,
              "");
      Files.writeString(project.resolve("ok.jsonl"), String.join("\n", lines));
      byte[] garbage = new byte[64 * 1024];
      new Random(42).nextBytes(garbage);
      Files.write(project.resolve("garbage.jsonl"), garbage);
      Files.write(project.resolve("mixed.jsonl"), concat(garbage, ("\n" + user + "\n").getBytes()));
      Files.createDirectories(project.resolve("folder.jsonl"));
      Files.writeString(project.resolve("empty.jsonl"), "");

      List<SessionRecord> records = ClaudeCodeHistory.forUser(home, Map.of()).read(ws, SINCE, 10);

      assertThat(records)
          .extracting(SessionRecord::sessionId)
          .containsExactlyInAnyOrder("ok", "ok");
      SessionRecord full =
          records.stream().filter(r -> !r.filesTouched().isEmpty()).findFirst().orElseThrow();
      assertThat(full.prompts()).containsExactly("cleanup please");
      assertThat(full.filesTouched()).containsExactly("src/A.java");
    }

    @Test
    void codexFoldersInTheWrongShapeAreSkipped() throws IOException {
      Path sessions = home.resolve(".codex/sessions");
      Files.createDirectories(sessions);
      Files.writeString(sessions.resolve("2025"), "a file where a year folder should be");
      Files.createDirectories(sessions.resolve("2024/12/30/rollout-a-folder.jsonl"));
      Files.createDirectories(sessions.resolve("20x4/1/2"));
      Path good = sessions.resolve("2024/12/31/rollout-good.jsonl");
      Files.createDirectories(good.getParent());
      Files.writeString(
          good,
          "garbage\n{\"timestamp\":\"2024-12-31T00:00:00Z\",\"type\":\"session_meta\",\"payload\":"
              + "{\"id\":\"good\",\"cwd\":\""
              + ws
              + "\"}}\n{\"type\":\"event_msg\",\"payload\":{\"type\":\"patch_apply_end\",\"changes\":[1]}}\n"
              + "{\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"arguments\":\"{not json\"}}\n");
      assertThat(CodexHistory.forUser(home, Map.of()).read(ws, SINCE, 10))
          .extracting(SessionRecord::sessionId)
          .containsExactly("good");
    }

    @Test
    void overlongLinesAreSkippedAndTheNextLineStillRead(@TempDir Path dir) throws IOException {
      Path f = dir.resolve("x.jsonl");
      Files.writeString(
          f,
          "{\"a\":\"" + "x".repeat(300_000) + "\"}\n{\"b\":1}\n{\"c\":\"" + "y".repeat(10) + "\"}");
      List<String> keys = new ArrayList<>();
      boolean read = JsonLines.forEachObject(f, 1000, n -> keys.add(n.fieldNames().next()));
      assertThat(read).isTrue();
      assertThat(keys).containsExactly("b", "c");
      assertThat(JsonLines.forEachObject(dir, n -> {})).isFalse();
      assertThat(JsonLines.forEachObject(dir.resolve("missing"), n -> {})).isFalse();
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
