package dev.overnight.postgres;

import dev.overnight.api.fleet.Labels;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.IllegalTransitionException;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.fleet.WorkerIdentity;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One machine of a fleet, as a process on a shared PostgreSQL queue, for the fleet tests.
 *
 * <ul>
 *   <li>{@code drain URL WORKER}: claim and complete until no task is live anywhere; waits for work
 *       ({@code awaitWork}) and recovers expired leases when nothing is pending but something is
 *       still in progress (a dead worker's). Prints {@code completed ID} per task it completed
 *       (after the commit), {@code lost ID} for one taken over by another worker, then {@code
 *       done}. A call the database fails (a terminated connection mid-commit) is retried; a
 *       completion whose outcome was unknown is checked against the task's history.
 *   <li>{@code hold URL WORKER N}: claims N tasks, prints {@code claimed ID} for each, then blocks
 *       until killed.
 *   <li>{@code labelled URL STATE_DIR LABELS}: a machine with its own state folder: claims under
 *       the folder's stable worker id ({@link WorkerIdentity#stableId}) only the tasks its labels
 *       (comma-separated, plus its {@code worker:} label) let it run, records itself in the store's
 *       workers table, and drains as {@code drain} does.
 * </ul>
 */
public final class FleetWorkerMain {

  static final Duration LEASE = Duration.ofSeconds(3);

  private FleetWorkerMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    String mode = args[0];
    String url = args[1];
    String worker = mode.equals("labelled") ? WorkerIdentity.stableId(Path.of(args[2])) : args[2];
    Set<String> labels = new TreeSet<>();
    if (mode.equals("labelled")) {
      labels.addAll(List.of(args[3].split(",")));
      labels.add(Labels.worker(worker));
    }
    Writer out =
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    try (PostgresStore store = PostgresStore.builder(url).user("postgres").build()) {
      PostgresTaskQueue queue = store.taskQueue();
      line(out, "ready");
      switch (mode) {
        case "drain" -> drain(queue, worker, Optional.empty(), out);
        case "labelled" -> {
          Instant started = Instant.now();
          store
              .workers()
              .record(
                  new WorkerInfo(
                      worker,
                      "machine " + worker,
                      labels,
                      WorkerState.idle(),
                      List.of(),
                      Instant.now(),
                      started));
          drain(queue, worker, Optional.of(labels), out);
        }
        case "hold" -> hold(queue, worker, Integer.parseInt(args[3]), out);
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
    }
    out.flush();
  }

  private static void drain(
      PostgresTaskQueue queue, String worker, Optional<Set<String>> labels, Writer out)
      throws IOException, InterruptedException {
    while (true) {
      Optional<Task> claimed;
      try {
        claimed =
            labels.isPresent()
                ? queue.claimNext(worker, labels.get(), LEASE)
                : queue.claimNext(worker, LEASE);
      } catch (TaskQueueException e) {
        // Whether the claim landed is unknown: if it did, the task comes back by its lease.
        queue.awaitWork(Duration.ofMillis(100));
        continue;
      }
      if (claimed.isPresent()) {
        complete(queue, claimed.get().id(), worker, out);
        continue;
      }
      try {
        if (!queue.recoverExpiredLeases().isEmpty()) {
          continue;
        }
        if (queue.list(TaskFilter.withStatus(TaskStatus.PENDING, TaskStatus.IN_PROGRESS)).total()
            == 0) {
          break;
        }
      } catch (TaskQueueException e) {
        // A terminated connection: try again after a short wait.
      }
      queue.awaitWork(Duration.ofMillis(500));
    }
    line(out, "done");
  }

  private static void complete(PostgresTaskQueue queue, TaskId id, String worker, Writer out)
      throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        queue.complete(id, worker, "done by " + worker, Map.of());
        line(out, "completed " + id);
        return;
      } catch (IllegalTransitionException e) {
        // Either an earlier attempt whose outcome was unknown did complete it, or the lease ran
        // out and another worker has it now.
        boolean mine =
            queue.events(id).stream()
                .anyMatch(ev -> ev.type() == TaskEventType.COMPLETED && ev.actor().equals(worker));
        line(out, (mine ? "completed " : "lost ") + id);
        return;
      } catch (TaskQueueException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  private static void hold(PostgresTaskQueue queue, String worker, int count, Writer out)
      throws IOException, InterruptedException {
    for (int i = 0; i < count; i++) {
      Task task = queue.claimNext(worker, Duration.ofHours(1)).orElseThrow();
      line(out, "claimed " + task.id());
    }
    // Blocks until the parent kills this process; its input stays open until then.
    System.in.read();
  }

  private static void line(Writer out, String text) throws IOException {
    out.write(text);
    out.write('\n');
    out.flush();
  }
}
