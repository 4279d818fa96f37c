package dev.overnight.sqlite;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.queue.TaskTransitions;
import dev.overnight.sqlite.internal.QueueSql;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A worker process on a shared queue file, for the multi-process and crash tests.
 *
 * <ul>
 *   <li>{@code drain FILE WORKER}: once the queue is open and {@code ready} printed, waits for a
 *       line {@code go} on its input (so a parent can let several workers start at once), then
 *       claims and completes until nothing is pending; one line {@code completed ID} per task, then
 *       {@code done N}.
 *   <li>{@code storm FILE WORKER SEED}: loads its classes, prints {@code loaded} and waits for a
 *       line {@code go} on its input (so a parent can start it while still checking the file);
 *       then, forever, now and then enqueues a task ({@code enqueued ID}), claims one ({@code
 *       claimed ID}) and completes it ({@code completed ID}). Every line is written only after its
 *       change committed, and flushed at once, so a parent that kills this process knows what is
 *       durable.
 * </ul>
 *
 * It prints {@code ready} once the queue is open.
 */
public final class QueueWorkerMain {

  static final Duration LEASE = Duration.ofMinutes(10);

  private QueueWorkerMain() {}

  public static void main(String[] args) throws IOException {
    String mode = args[0];
    Path file = Path.of(args[1]);
    String worker = args[2];
    Writer out =
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    if (mode.equals("storm")) {
      // Class loading and jOOQ's start-up take most of a JVM's first seconds: do them first.
      TaskTransitions.now(InstantSource.system());
      QueueSql.CLAIM.sql();
      line(out, "loaded", true);
      if (!toldToGo()) {
        return;
      }
    }
    try (SqliteTaskQueue queue =
        SqliteTaskQueue.builder(file)
            .busyTimeout(Duration.ofSeconds(60))
            .verifyIntegrityOnOpen(false)
            .build()) {
      line(out, "ready", true);
      if (mode.equals("drain") && !toldToGo()) {
        return;
      }
      switch (mode) {
        case "drain" -> drain(queue, worker, out);
        case "storm" -> storm(queue, worker, new Random(Long.parseLong(args[3])), out);
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
    }
    out.flush();
  }

  /** Whether the parent's next line on this process's input is {@code go}. */
  private static boolean toldToGo() throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    return "go".equals(in.readLine());
  }

  private static void drain(SqliteTaskQueue queue, String worker, Writer out) throws IOException {
    int count = 0;
    for (Optional<Task> t = queue.claimNext(worker, LEASE);
        t.isPresent();
        t = queue.claimNext(worker, LEASE)) {
      queue.complete(t.get().id(), worker, "done by " + worker, Map.of());
      line(out, "completed " + t.get().id(), false);
      count++;
    }
    line(out, "done " + count, true);
  }

  private static void storm(SqliteTaskQueue queue, String worker, Random random, Writer out)
      throws IOException {
    for (long n = 0; ; n++) {
      if (random.nextInt(4) == 0) {
        Task added =
            queue
                .enqueue(TaskSpec.builder("storm " + worker + " " + n).maxAttempts(50).build())
                .task();
        line(out, "enqueued " + added.id(), true);
      }
      Optional<Task> t = queue.claimNext(worker, LEASE);
      if (t.isEmpty()) {
        line(out, "empty", true);
        return;
      }
      line(out, "claimed " + t.get().id(), true);
      queue.complete(t.get().id(), worker, "done by " + worker, Map.of());
      line(out, "completed " + t.get().id(), true);
    }
  }

  private static void line(Writer out, String text, boolean flush) throws IOException {
    out.write(text);
    out.write('\n');
    if (flush) {
      out.flush();
    }
  }
}
