package dev.overnight.acp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.acp.internal.AcpSessionImpl;
import dev.overnight.api.agent.SessionUpdate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Test helpers: collecting updates, and proving a session left nothing behind. */
final class Sessions {
  private Sessions() {}

  /** Every update of a session, and the end of its stream. */
  static final class Collected implements Flow.Subscriber<SessionUpdate> {
    // Not copy-on-write: a flood of 100,000 updates would copy quadratically.
    final List<SessionUpdate> updates =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final CompletableFuture<Optional<Throwable>> end = new CompletableFuture<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private record Waiter(
        Class<? extends SessionUpdate> type, CompletableFuture<SessionUpdate> f) {}

    static Collected from(AcpAgentSession session) {
      Collected c = new Collected();
      session.updates().subscribe(c);
      return c;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(SessionUpdate item) {
      updates.add(item);
      for (Waiter w : waiters) {
        if (w.type.isInstance(item)) {
          w.f.complete(item);
        }
      }
    }

    /** The first update of a type, waiting for it (a safety net of 60 s). */
    <T extends SessionUpdate> T await(Class<T> type) throws Exception {
      CompletableFuture<SessionUpdate> f = new CompletableFuture<>();
      waiters.add(new Waiter(type, f));
      synchronized (updates) {
        updates.stream().filter(type::isInstance).findFirst().ifPresent(f::complete);
      }
      return type.cast(f.get(60, TimeUnit.SECONDS));
    }

    @Override
    public void onError(Throwable throwable) {
      end.complete(Optional.of(throwable));
    }

    @Override
    public void onComplete() {
      end.complete(Optional.empty());
    }

    <T extends SessionUpdate> List<T> of(Class<T> type) {
      synchronized (updates) {
        return updates.stream()
            .filter(type::isInstance)
            .map(type::cast)
            .collect(Collectors.toList());
      }
    }

    String messageText() {
      return of(SessionUpdate.AgentMessageChunk.class).stream()
          .map(u -> u.content().asText())
          .collect(Collectors.joining());
    }

    Optional<Throwable> awaitEnd() throws Exception {
      return end.get(60, TimeUnit.SECONDS);
    }
  }

  /** After close: the agent's process tree is gone and none of the session's threads runs. */
  static void assertNothingLeft(AcpAgentSession session, List<ProcessHandle> tree) {
    for (ProcessHandle p : tree) {
      assertThat(p.onExit())
          .as("process %d (%s) ended", p.pid(), p.info().commandLine().orElse("?"))
          .succeedsWithin(Duration.ofSeconds(30));
    }
    String prefix = ((AcpSessionImpl) session).threadNamePrefix();
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .map(Thread::getName))
        .as("threads of the session still running")
        .isEmpty();
  }

  /** No agent started by these tests is still running, whatever happened to its session. */
  static void assertNoScriptedAgentRunning() {
    List<ProcessHandle> left =
        ProcessHandle.current()
            .descendants()
            .filter(ProcessHandle::isAlive)
            .filter(
                p ->
                    p.info().commandLine().orElse("").contains("ScriptedAgent")
                        || p.info().commandLine().orElse("").contains("sdk-agent.mjs"))
            .collect(Collectors.toList());
    for (ProcessHandle p : left) {
      assertThat(p.onExit())
          .as("orphan agent %d: %s", p.pid(), p.info().commandLine().orElse("?"))
          .succeedsWithin(Duration.ofSeconds(30));
    }
  }

  /** No thread of any ACP session is alive. */
  static void assertNoSessionThreads() {
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("overnight-acp-") && t.isAlive())
                .map(Thread::getName))
        .isEmpty();
  }
}
