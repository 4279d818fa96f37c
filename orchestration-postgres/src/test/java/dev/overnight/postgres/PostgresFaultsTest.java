package dev.overnight.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.queue.IllegalTransitionException;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between the workers and the server during a claim/complete storm: the server restarting
 * under the workers, and one worker cut off behind a network that stops forwarding. Nothing is
 * lost, nothing is completed twice, and the workers carry on by themselves.
 */
class PostgresFaultsTest {

  private static final Duration LEASE = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aServerRestartInTheStormLosesNothingAndRunsNothingTwice() throws Exception {
    int tasks = 1_500;
    int workers = 3;
    Path data = dir.resolve("data");
    int port = freePort();
    EmbeddedPostgres server = startServer(data, port);
    String url = "jdbc:postgresql://localhost:" + port + "/postgres";
    List<PostgresStore> stores = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      try (PostgresStore admin = store(url)) {
        admin
            .taskQueue()
            .enqueueAll(
                IntStream.range(0, tasks)
                    .mapToObj(i -> TaskSpec.builder("task " + i).build())
                    .toList());
      }
      Map<TaskId, String> completedBy = new ConcurrentHashMap<>();
      AtomicInteger doubles = new AtomicInteger();
      AtomicInteger failedCalls = new AtomicInteger();
      CountDownLatch someDone = new CountDownLatch(200);
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        PostgresStore store = store(url);
        stores.add(store);
        String worker = "worker-" + w;
        running.add(
            pool.submit(
                () -> {
                  drain(
                      store.taskQueue(),
                      worker,
                      id -> {
                        if (completedBy.putIfAbsent(id, worker) != null) {
                          doubles.incrementAndGet();
                        }
                        someDone.countDown();
                      },
                      failedCalls);
                  return null;
                }));
      }

      assertThat(someDone.await(40, TimeUnit.SECONDS)).as("workers got going").isTrue();
      server.close(); // a fast shutdown: every connection is ended, open transactions roll back
      int beforeRestart = completedBy.size();
      server = startServer(data, port);
      for (Future<?> f : running) {
        f.get(50, TimeUnit.SECONDS);
      }

      assertThat(beforeRestart).as("completed when the server stopped").isLessThan(tasks);
      assertThat(failedCalls.get()).as("calls the restart failed").isPositive();
      assertThat(doubles.get()).as("tasks reported completed twice").isZero();
      assertThat(completedBy).hasSize(tasks);
      assertThat(count(url, "SELECT count(*) FROM task_events WHERE type = 'COMPLETED'"))
          .as("completions in all")
          .isEqualTo(tasks);
      assertThat(
              count(
                  url, "SELECT count(DISTINCT task_id) FROM task_events WHERE type = 'COMPLETED'"))
          .as("tasks with a completion")
          .isEqualTo(tasks);
      assertThat(count(url, "SELECT count(*) FROM tasks WHERE status <> 'COMPLETED'")).isZero();

      // The listening connections came back by themselves: each worker's store holds its own
      // connection and its listener again (polled: a listener reconnects after a pause).
      assertThat(
              pollUntil(
                  () ->
                      count(
                          url,
                          "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                              + " 'overnight'"),
                  n -> n == 2L * workers))
          .isEqualTo(2L * workers);
      PostgresTaskQueue idle = stores.get(0).taskQueue();
      idle.awaitWork(Duration.ofMillis(1)); // takes in what was announced so far
      CountDownLatch woken = new CountDownLatch(1);
      Future<Boolean> waiter =
          pool.submit(
              () -> {
                woken.countDown();
                return idle.awaitWork(Duration.ofSeconds(30));
              });
      woken.await();
      stores.get(1).taskQueue().enqueue(TaskSpec.builder("after the restart").build());
      assertThat(waiter.get(40, TimeUnit.SECONDS)).as("woken by the enqueue").isTrue();
    } finally {
      pool.shutdownNow();
      stores.forEach(PostgresStore::close);
      server.close();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aListeningConnectionTheNetworkSilentlyDroppedIsFoundByItsPingAndReplaced() throws Exception {
    String url = TestDatabase.freshSchemaUrl();
    int serverPort = TestDatabase.server().getPort();
    try (TcpProxy proxy = new TcpProxy(serverPort);
        PostgresStore idle =
            PostgresStore.builder(url.replace(":" + serverPort + "/", ":" + proxy.port() + "/"))
                .user("postgres")
                .connectTimeout(Duration.ofSeconds(2))
                .statementTimeout(Duration.ofMillis(500))
                .socketTimeout(Duration.ofSeconds(1))
                .pingInterval(Duration.ofMillis(500))
                .build();
        PostgresStore busy = store(url)) {
      PostgresTaskQueue waiting = idle.taskQueue();
      waiting.awaitWork(Duration.ZERO); // starts the listener
      assertThat(waiting.awaitWork(Duration.ofSeconds(20))).as("the listener connected").isTrue();

      proxy.dropOpenConnections();
      busy.taskQueue().enqueue(TaskSpec.builder("Work the idle machine must hear of").build());

      // The notice went down the dead connection; only a new one, found by the ping, wakes us.
      assertThat(waiting.awaitWork(Duration.ofSeconds(30))).isTrue();
      assertThat(waiting.claimNext("idle", LEASE)).isPresent();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aWorkerCutOffStopsClaimingItsTasksAreRecoveredAndItsLateCompleteIsRefused()
      throws Exception {
    int tasks = 300;
    String url = TestDatabase.freshSchemaUrl();
    int serverPort = TestDatabase.server().getPort();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (TcpProxy proxy = new TcpProxy(serverPort);
        PostgresStore admin = store(url);
        PostgresStore cutOff =
            PostgresStore.builder(url.replace(":" + serverPort + "/", ":" + proxy.port() + "/"))
                .user("postgres")
                .connectTimeout(Duration.ofSeconds(2))
                .statementTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(2))
                .build();
        PostgresStore first = store(url);
        PostgresStore second = store(url)) {
      admin
          .taskQueue()
          .enqueueAll(
              IntStream.range(0, tasks)
                  .mapToObj(i -> TaskSpec.builder("task " + i).build())
                  .toList());
      PostgresTaskQueue cut = cutOff.taskQueue();
      List<TaskId> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        held.add(cut.claimNext("cut-off", LEASE).orElseThrow().id());
      }

      proxy.cut();
      Map<TaskId, String> completedBy = new ConcurrentHashMap<>();
      AtomicInteger doubles = new AtomicInteger();
      List<Future<?>> running = new ArrayList<>();
      for (PostgresStore store : List.of(first, second)) {
        String worker = store == first ? "first" : "second";
        running.add(
            pool.submit(
                () -> {
                  drain(
                      store.taskQueue(),
                      worker,
                      id -> {
                        if (completedBy.putIfAbsent(id, worker) != null) {
                          doubles.incrementAndGet();
                        }
                      },
                      new AtomicInteger());
                  return null;
                }));
      }

      // While cut off, every claim fails with an error saying so, bounded by the store's timeouts
      // (the test's own timeout would end a call that hung), and never hands out a task.
      int refused = 0;
      while (!running.stream().allMatch(Future::isDone)) {
        assertThatThrownBy(() -> cut.claimNext("cut-off", LEASE))
            .isInstanceOf(TaskQueueException.class)
            .hasMessageContaining("PostgreSQL");
        refused++;
      }
      for (Future<?> f : running) {
        f.get();
      }
      assertThat(refused).isPositive();
      assertThat(doubles.get()).isZero();
      assertThat(completedBy).hasSize(tasks).containsKeys(held.toArray(TaskId[]::new));

      proxy.restore();
      // Back on the network, the worker reconnects by itself, and finds its tasks were taken over:
      // its late completion is refused, never a second completion.
      for (TaskId id : held) {
        assertThatThrownBy(() -> cut.complete(id, "cut-off", "late", Map.of()))
            .isInstanceOf(IllegalTransitionException.class);
        Task task = admin.taskQueue().get(id).orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(admin.taskQueue().events(id))
            .extracting(e -> e.type())
            .containsExactly(
                TaskEventType.ENQUEUED,
                TaskEventType.CLAIMED,
                TaskEventType.LEASE_EXPIRED,
                TaskEventType.CLAIMED,
                TaskEventType.COMPLETED);
      }
      assertThat(admin.taskQueue().list(TaskFilter.withStatus(TaskStatus.COMPLETED)).total())
          .isEqualTo(tasks);
    } finally {
      pool.shutdownNow();
    }
  }

  /** What a worker does with a completion it committed. */
  private interface Completed {
    void accept(TaskId id);
  }

  /**
   * Claims and completes until no task is live, riding out failed calls: a claim whose outcome is
   * unknown comes back by its lease, a completion whose outcome is unknown is checked against the
   * task's history.
   */
  private static void drain(
      PostgresTaskQueue queue, String worker, Completed completed, AtomicInteger failedCalls)
      throws InterruptedException {
    while (true) {
      Optional<Task> claimed;
      try {
        claimed = queue.claimNext(worker, LEASE);
      } catch (TaskQueueException e) {
        failedCalls.incrementAndGet();
        // The server is away: back off until work is announced or a moment passed.
        queue.awaitWork(Duration.ofMillis(200));
        continue;
      }
      if (claimed.isPresent()) {
        complete(queue, claimed.get().id(), worker, completed, failedCalls);
        continue;
      }
      try {
        if (!queue.recoverExpiredLeases().isEmpty()) {
          continue;
        }
        if (queue.list(TaskFilter.withStatus(TaskStatus.PENDING, TaskStatus.IN_PROGRESS)).total()
            == 0) {
          return;
        }
      } catch (TaskQueueException e) {
        failedCalls.incrementAndGet(); // the server is away: try again after the wait below
      }
      queue.awaitWork(Duration.ofMillis(200));
    }
  }

  private static void complete(
      PostgresTaskQueue queue,
      TaskId id,
      String worker,
      Completed completed,
      AtomicInteger failedCalls)
      throws InterruptedException {
    while (true) {
      try {
        queue.complete(id, worker, "done by " + worker, Map.of());
        completed.accept(id);
        return;
      } catch (IllegalTransitionException e) {
        // An earlier attempt whose outcome was unknown did complete it, or the lease was lost.
        if (queue.events(id).stream()
            .anyMatch(ev -> ev.type() == TaskEventType.COMPLETED && ev.actor().equals(worker))) {
          completed.accept(id);
        }
        return;
      } catch (TaskQueueException e) {
        failedCalls.incrementAndGet();
        queue.awaitWork(Duration.ofMillis(200)); // the server is away: back off, then again
      }
    }
  }

  private static PostgresStore store(String url) {
    return PostgresStore.builder(url).user("postgres").build();
  }

  private static EmbeddedPostgres startServer(Path data, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private interface SqlCount {
    long get() throws SQLException;
  }

  /**
   * Polls until {@code done} holds or 30 s passed, and returns the last value: a bounded wait for
   * something the store does on its own schedule (a listener reconnects after a pause).
   */
  private static long pollUntil(SqlCount value, java.util.function.LongPredicate done)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long last = value.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50); // a poll of the server with a deadline, nothing to latch
      last = value.get();
    }
    return last;
  }

  private static long count(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
