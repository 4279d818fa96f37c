package dev.overnight.acp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.fakes.ScriptedAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A night's sessions read back from their transcripts, as the live session saw them. */
class AcpTranscriptsTest {
  @TempDir Path worktree;
  @TempDir Path state;

  @AfterEach
  void nothingLeft() {
    Sessions.assertNoScriptedAgentRunning();
    Sessions.assertNoSessionThreads();
  }

  @Test
  void aTranscriptReadsBackAsTheUpdatesTheSessionStreamed() throws Exception {
    AcpAgentProvider provider =
        AcpAgentProvider.builder("scripted").agentCommand(ScriptedAgent.command()).build();
    SessionRequest request =
        SessionRequest.builder(worktree)
            .transcriptDirectory(state.resolve("transcripts"))
            .startupTimeout(Duration.ofSeconds(60))
            .cancelGrace(Duration.ofSeconds(30))
            .build();
    AcpAgentSession session = provider.open(request);
    Sessions.Collected live = Sessions.Collected.from(session);
    try {
      session.prompt("Say hello").get(60, TimeUnit.SECONDS);
    } finally {
      session.close();
    }
    assertThat(live.awaitEnd()).isEmpty();
    Path transcript = session.transcript().orElseThrow();
    // A crash can leave half a line behind: what was written before it still reads.
    Files.writeString(transcript, "{\"at\":\"2026-", java.nio.file.StandardOpenOption.APPEND);

    List<SessionEvent> read = new AcpTranscripts().read(transcript);

    assertThat(read).extracting(SessionEvent::update).isEqualTo(live.updates);
    assertThat(read).extracting(SessionEvent::sessionId).containsOnly(session.sessionId());
    assertThat(read).extracting(SessionEvent::agentId).containsOnly("scripted");
    assertThat(read)
        .extracting(SessionEvent::sequence)
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, read.size()).boxed().toList());
    assertThat(read.get(0).at()).isBeforeOrEqualTo(read.get(read.size() - 1).at());
    assertThat(new AcpTranscripts().understands(transcript)).isTrue();
    assertThat(new AcpTranscripts().understands(state.resolve("notes.txt"))).isFalse();
  }
}
