package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.agent.AgentProtocolException;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.core.time.SystemTimeSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Plays a recorded agent stream (newline-delimited JSON-RPC, as an agent writes it on stdout)
 * through the same reader, JSON-RPC classification, update parser and update stream a session uses,
 * into one subscriber on another thread. For benchmarks: it measures the client's
 * parse-and-dispatch path without a process in the way.
 */
public final class StreamReplay {
  private StreamReplay() {}

  /**
   * Replays {@code stream} and waits until {@code expectedUpdates} updates reached {@code sink}.
   *
   * @return the nanoseconds from the first byte read to the last update delivered
   */
  public static long replay(byte[] stream, long expectedUpdates, Consumer<SessionUpdate> sink)
      throws Exception {
    SessionThreads threads = new SessionThreads("replay");
    ThreadPoolExecutor workers = threads.workers();
    UpdateStream<SessionUpdate> updates = new UpdateStream<>(threads.factory("updates"), 16);
    CompletableFuture<Long> done = new CompletableFuture<>();
    AtomicLong count = new AtomicLong();
    updates.subscribe(
        new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(SessionUpdate item) {
            sink.accept(item);
            if (count.incrementAndGet() == expectedUpdates) {
              done.complete(System.nanoTime());
            }
          }

          @Override
          public void onError(Throwable throwable) {
            done.completeExceptionally(throwable);
          }

          @Override
          public void onComplete() {}
        });
    AcpConnection connection =
        new AcpConnection(
            "replay",
            new ByteArrayInputStream(stream),
            OutputStream.nullOutputStream(),
            16 * 1024 * 1024,
            workers,
            Transcript.NONE,
            SystemTimeSource.shared(),
            new AcpConnection.Listener() {
              @Override
              public void onNotification(String method, JsonNode params) {
                if (method.equals("session/update")) {
                  JsonNode update = params == null ? null : params.get("update");
                  if (update != null && update.isObject()) {
                    updates.publish(UpdateParser.parse(update));
                  }
                }
              }

              @Override
              public JsonNode onRequest(String method, JsonNode params) throws RpcException {
                throw new RpcException(RpcException.METHOD_NOT_FOUND, "Method not found");
              }

              @Override
              public void onProtocolViolation(AgentProtocolException cause) {
                done.completeExceptionally(cause);
              }

              @Override
              public void onEndOfStream(IOException error) {
                if (error != null) {
                  done.completeExceptionally(error);
                }
              }
            });
    long start = System.nanoTime();
    connection.start(threads.factory("reader"));
    try {
      return done.get(10, TimeUnit.MINUTES) - start;
    } finally {
      updates.complete();
      workers.shutdown();
      threads.join(10_000);
    }
  }
}
