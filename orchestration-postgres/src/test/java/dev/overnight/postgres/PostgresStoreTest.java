package dev.overnight.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.StoreSettings;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.store.Store;
import dev.overnight.core.spi.Discovery;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.postgres.internal.Migrator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** One database as the shared memory of a fleet: what survives, what is refused, who is woken. */
class PostgresStoreTest {

  private static final Instant NIGHT = Instant.parse("2026-11-25T23:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(5);

  @TempDir Path dir;

  @Test
  void timeoutsMustBePositiveSinceZeroWouldMeanWaitingForever() {
    PostgresStore.Builder builder = PostgresStore.builder(TestDatabase.url());
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1)}) {
      assertThatThrownBy(() -> builder.socketTimeout(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("socketTimeout");
      assertThatThrownBy(() -> builder.statementTimeout(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("statementTimeout");
    }
  }

  @Test
  void twoMachinesOnOneDatabaseShareOneQueueAndKeepTheirOwnSchedulerState() {
    String url = TestDatabase.freshSchemaUrl();
    ManualTimeSource clock = new ManualTimeSource(NIGHT);
    try (PostgresStore laptop = store(url, clock);
        PostgresStore macMini = store(url, clock)) {
      Task queued =
          laptop.taskQueue().enqueue(TaskSpec.builder("Fix the flaky test").build()).task();
      laptop.schedulerStateStore().save(snapshot("laptop", 3));
      macMini.schedulerStateStore().save(snapshot("mac-mini", 5));

      Optional<Task> claimed = macMini.taskQueue().claimNext("mac-mini", LEASE);
      macMini.taskQueue().complete(queued.id(), "mac-mini", "fixed", Map.of("branch", "b"));

      assertThat(claimed).map(Task::id).contains(queued.id());
      assertThat(laptop.taskQueue().claimNext("laptop", LEASE)).isEmpty();
      assertThat(laptop.taskQueue().get(queued.id()).orElseThrow().status())
          .isEqualTo(TaskStatus.COMPLETED);
      assertThat(laptop.taskQueue().events(queued.id()))
          .extracting(e -> e.type())
          .containsExactly(TaskEventType.ENQUEUED, TaskEventType.CLAIMED, TaskEventType.COMPLETED);
      assertThat(laptop.schedulerStateStore().schedulerIds()).containsExactly("laptop", "mac-mini");
      assertThat(macMini.schedulerStateStore().load("laptop").orElseThrow().cycleCount())
          .isEqualTo(3);
    }
  }

  @Test
  void theEventsAQueueAnnouncesAreTheOnesItStores() {
    ManualTimeSource clock = new ManualTimeSource(NIGHT);
    try (PostgresStore store = store(TestDatabase.freshSchemaUrl(), clock)) {
      List<TaskEvent> heard = new ArrayList<>();
      store.taskQueue().subscribe(heard::add);
      Task first = store.taskQueue().enqueue(TaskSpec.builder("Fix the flaky test").build()).task();
      Task twin = store.taskQueue().enqueue(TaskSpec.builder("Fix the flaky test").build()).task();
      clock.advance(Duration.ofSeconds(1));
      Task claimed = store.taskQueue().claimNext("laptop", LEASE).orElseThrow();
      clock.advance(Duration.ofSeconds(1));
      store.taskQueue().fail(first.id(), "laptop", "the build broke", Retry.IF_ATTEMPTS_LEFT);
      store.taskQueue().claimNext("laptop", LEASE).orElseThrow();
      store.taskQueue().complete(first.id(), "laptop", "fixed", Map.of("branch", "b"));

      assertThat(twin).isEqualTo(first);
      assertThat(claimed.attempts()).isEqualTo(1);
      assertThat(store.taskQueue().events(first.id())).containsExactlyElementsOf(heard);
      assertThat(heard)
          .extracting(TaskEvent::type)
          .containsExactly(
              TaskEventType.ENQUEUED,
              TaskEventType.CLAIMED,
              TaskEventType.RETRY_SCHEDULED,
              TaskEventType.CLAIMED,
              TaskEventType.COMPLETED);
      assertThat(heard.get(3).reason()).startsWith("attempt 2 of 3, lease until ");
    }
  }

  @Test
  void reopeningFindsEverythingAndMigratesNothingTwice() throws SQLException {
    String url = TestDatabase.freshSchemaUrl();
    ManualTimeSource clock = new ManualTimeSource(NIGHT);
    Task queued;
    try (PostgresStore store = store(url, clock)) {
      queued = store.taskQueue().enqueue(TaskSpec.builder("Survive a restart").build()).task();
      assertThat(store.schemaVersion()).isEqualTo(Migrator.LATEST);
    }
    try (PostgresStore store = store(url, clock)) {
      assertThat(store.taskQueue().get(queued.id())).contains(queued);
      assertThat(count(store.schema(), "schema_version")).isEqualTo(Migrator.MIGRATIONS.size());
    }
  }

  @Test
  void aSchemaFromANewerOvernightIsRefusedAndLeftAlone() throws SQLException {
    String url = TestDatabase.freshSchemaUrl();
    String schema;
    try (PostgresStore store = store(url, new ManualTimeSource(NIGHT))) {
      store.taskQueue().enqueue(TaskSpec.builder("Written by this version").build());
      schema = store.schema();
    }
    TestDatabase.execute(
        "INSERT INTO "
            + schema
            + ".schema_version VALUES ("
            + (Migrator.LATEST + 1)
            + ", 'from the future', 0)");

    assertThatThrownBy(() -> store(url, new ManualTimeSource(NIGHT)))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining("schema version " + (Migrator.LATEST + 1))
        .hasMessageContaining("newer than the newest this Overnight knows (" + Migrator.LATEST)
        .hasMessageContaining("Upgrade Overnight")
        .hasMessageContaining("Nothing was written");
    assertThat(count(schema, "tasks")).isEqualTo(1);
    assertThat(count(schema, "schema_version")).isEqualTo(Migrator.MIGRATIONS.size() + 1);
  }

  @Test
  void theSchemaRefusesATaskStateOutsideItsRulesNamingTheRule() throws SQLException {
    String url = TestDatabase.freshSchemaUrl();
    try (PostgresStore store = store(url, new ManualTimeSource(NIGHT));
        Connection c = TestDatabase.server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      Task task = store.taskQueue().enqueue(TaskSpec.builder("Keep to the rules").build()).task();
      Map<String, String> rulesBroken =
          Map.of(
              "status = 'DONE'", "tasks_status_known",
              "priority = 4", "tasks_priority_known",
              "attempts = -1", "tasks_attempts_in_range",
              "attempts = max_attempts + 1", "tasks_attempts_in_range",
              "status = 'IN_PROGRESS'", "tasks_lease_while_in_progress",
              "worker_id = 'laptop', lease_expires_at = 1", "tasks_lease_while_in_progress");
      for (Map.Entry<String, String> broken : rulesBroken.entrySet()) {
        String update =
            "UPDATE "
                + store.schema()
                + ".tasks SET "
                + broken.getKey()
                + " WHERE id = '"
                + task.id().value()
                + "'";
        assertThatThrownBy(() -> s.executeUpdate(update))
            .as(update)
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"))
            .hasMessageContaining(broken.getValue());
      }
      String insert =
          "INSERT INTO "
              + store.schema()
              + ".tasks (id, title, prompt, priority, op_hash, status, attempts, max_attempts,"
              + " created_at, updated_at, metadata) VALUES ('t', 't', 'p', 0, 'h', 'PENDING', 0,"
              + " 3, 0, 0, '{}')";
      assertThatThrownBy(() -> s.executeUpdate(insert))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"))
          .hasMessageContaining("tasks_priority_known");
      assertThat(store.taskQueue().get(task.id())).contains(task);
    }
  }

  @Test
  void tablesOvernightDidNotCreateAreRefused() throws SQLException {
    String url = TestDatabase.freshSchemaUrl();
    String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
    TestDatabase.execute("CREATE TABLE " + schema + ".tasks (id INTEGER)");

    assertThatThrownBy(() -> store(url, new ManualTimeSource(NIGHT)))
        .isInstanceOf(TaskQueueException.class)
        .hasMessageContaining("already has tables [tasks] that Overnight did not create")
        .hasMessageContaining("Nothing was written");
    assertThat(count(schema, "tasks")).isZero();
  }

  @Test
  @Timeout(60)
  void anIdleWorkerIsWokenByWorkEnqueuedOnAnotherMachine() throws Exception {
    String url = TestDatabase.freshSchemaUrl();
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try (PostgresStore producer = store(url, new ManualTimeSource(NIGHT));
        PostgresStore consumer = store(url, new ManualTimeSource(NIGHT))) {
      // The first wait returns at once (what came before is unknown) and starts listening; the
      // second returns once the listener is connected.
      assertThat(worker.submit(() -> consumer.taskQueue().awaitWork(Duration.ofSeconds(30))).get())
          .isTrue();
      assertThat(worker.submit(() -> consumer.taskQueue().awaitWork(Duration.ofSeconds(30))).get())
          .isTrue();
      assertThat(
              worker
                  .submit(() -> consumer.taskQueue().awaitWork(Duration.ofMillis(50)))
                  .get(30, TimeUnit.SECONDS))
          .as("nothing was enqueued")
          .isFalse();

      Future<Boolean> woken =
          worker.submit(() -> consumer.taskQueue().awaitWork(Duration.ofSeconds(30)));
      producer.taskQueue().enqueue(TaskSpec.builder("Wake up").build());

      assertThat(woken.get(40, TimeUnit.SECONDS)).isTrue();
      assertThat(consumer.taskQueue().claimNext("mac-mini", LEASE)).isPresent();
    } finally {
      worker.shutdownNow();
    }
  }

  @Test
  @Timeout(60)
  void anEnqueueNotifiesOnlyWhileSomeWorkerWaits() throws Exception {
    String url = TestDatabase.freshSchemaUrl();
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try (PostgresStore producer = store(url, new ManualTimeSource(NIGHT));
        PostgresStore consumer = store(url, new ManualTimeSource(NIGHT));
        Connection listening = DriverManager.getConnection(url, "postgres", null)) {
      String channel = "overnight_work." + producer.schema();
      try (Statement s = listening.createStatement()) {
        s.execute("LISTEN \"" + channel + "\"");
      }
      producer.taskQueue().enqueue(TaskSpec.builder("Nobody waits").build());
      assertThat(noticesBefore(listening, channel)).as("nobody waits").isZero();

      // The first wait returns at once; the second once the listener is connected and says so.
      worker.submit(() -> consumer.taskQueue().awaitWork(Duration.ofSeconds(30))).get();
      worker.submit(() -> consumer.taskQueue().awaitWork(Duration.ofSeconds(30))).get();
      Future<Boolean> woken =
          worker.submit(() -> consumer.taskQueue().awaitWork(Duration.ofSeconds(30)));
      producer.taskQueue().enqueue(TaskSpec.builder("Someone waits").build());

      assertThat(woken.get(40, TimeUnit.SECONDS)).isTrue();
      assertThat(noticesBefore(listening, channel)).as("a worker waits").isEqualTo(1);
      assertThat(consumer.taskQueue().claimNext("mac-mini", LEASE)).isPresent();
    } finally {
      worker.shutdownNow();
    }
  }

  /**
   * How many wake-up notices reach {@code listening} before a marker it sends itself now: notices
   * arrive in commit order, so every one sent before this call is counted.
   */
  private static int noticesBefore(Connection listening, String channel) throws SQLException {
    try (Statement s = listening.createStatement()) {
      s.execute("NOTIFY \"" + channel + "\", 'marker'");
    }
    PGConnection pg = listening.unwrap(PGConnection.class);
    int notices = 0;
    while (true) {
      PGNotification[] arrived = pg.getNotifications(1_000);
      for (PGNotification n : arrived == null ? new PGNotification[0] : arrived) {
        if (n.getParameter().equals("marker")) {
          return notices;
        }
        notices++;
      }
    }
  }

  @Test
  void aTerminatedConnectionIsReopenedAndTheCallInterruptedByItRunsOnce() throws SQLException {
    String url = TestDatabase.freshSchemaUrl();
    try (PostgresStore store = store(url, new ManualTimeSource(NIGHT))) {
      Task queued =
          store.taskQueue().enqueue(TaskSpec.builder("Outlive the backend").build()).task();

      assertThat(TestDatabase.terminateOvernightBackends()).isPositive();
      Optional<Task> claimed = store.taskQueue().claimNext("laptop", LEASE);

      assertThat(claimed).map(Task::id).contains(queued.id());
      assertThat(store.taskQueue().events(queued.id()))
          .extracting(e -> e.type())
          .containsExactly(TaskEventType.ENQUEUED, TaskEventType.CLAIMED);
      assertThat(count(store.schema(), "tasks")).isEqualTo(1);
    }
  }

  @Test
  void theConfigsStoreKindChoosesThePostgresProviderThroughDiscovery() {
    String url = TestDatabase.freshSchemaUrl();
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of("/repo"))
            .store(StoreSettings.postgres(url, "postgres", null))
            .build();
    ProviderContext context =
        ProviderContext.builder(config)
            .timeSource(new ManualTimeSource(NIGHT))
            .stateDirectory(dir)
            .build();
    Discovery discovery = Discovery.builder(context).build();

    assertThat(discovery.storeProvider()).map(p -> p.name()).contains("postgres");
    try (Store store = discovery.openStore().orElseThrow()) {
      assertThat(store).isInstanceOf(PostgresStore.class);
      store.taskQueue().enqueue(TaskSpec.builder("Through discovery").build());
      assertThat(store.taskQueue().claimNext("w", LEASE)).isPresent();
    }
  }

  @Test
  void theConfigsTimeoutsReachTheStoreTheProviderOpens() throws SQLException {
    String url = TestDatabase.freshSchemaUrl();
    StoreSettings.Timeouts timeouts =
        new StoreSettings.Timeouts(
            Optional.of(Duration.ofSeconds(3)),
            Optional.of(Duration.ofSeconds(4)),
            Optional.of(Duration.ofSeconds(9)),
            Optional.of(Duration.ofMillis(300)));
    StoreSettings postgres = StoreSettings.postgres(url, "postgres", null);
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of("/repo"))
            .store(
                new StoreSettings(
                    postgres.kind(),
                    postgres.url(),
                    postgres.user(),
                    postgres.passwordEnv(),
                    timeouts))
            .build();
    ProviderContext context =
        ProviderContext.builder(config)
            .timeSource(new ManualTimeSource(NIGHT))
            .stateDirectory(dir)
            .build();
    try (Store store = Discovery.builder(context).build().openStore().orElseThrow();
        Connection other = TestDatabase.server().getPostgresDatabase().getConnection()) {
      Task task = store.taskQueue().enqueue(TaskSpec.builder("Held elsewhere").build()).task();
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.execute(
            "SELECT 1 FROM "
                + ((PostgresStore) store).schema()
                + ".tasks WHERE id = '"
                + task.id().value()
                + "' FOR UPDATE");
      }

      assertThatThrownBy(() -> store.taskQueue().cancel(task.id(), "dev", "not tonight"))
          .isInstanceOf(TaskQueueException.class)
          .hasMessageContaining("after waiting 300 ms for a row another connection holds");
      other.rollback();
    }
  }

  @Test
  void aStoreKindWithNoProviderOnTheClassPathNamesTheModuleToAdd() {
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of("/repo")).store(StoreSettings.sqlite()).build();
    Discovery discovery =
        Discovery.builder(
                ProviderContext.builder(config)
                    .timeSource(new ManualTimeSource(NIGHT))
                    .stateDirectory(dir)
                    .build())
            .build();

    assertThatThrownBy(discovery::storeProvider)
        .isInstanceOf(OrchestrationException.class)
        .hasMessage(
            "store.kind is \"sqlite\", but no store provider of that name is on the class path:"
                + " add dev.overnight:orchestration-sqlite (found: postgres)");
  }

  private static PostgresStore store(String url, ManualTimeSource clock) {
    return PostgresStore.builder(url).user("postgres").clock(clock).build();
  }

  private static SchedulerSnapshot snapshot(String id, long cycles) {
    return new SchedulerSnapshot(
        id, Optional.of(NIGHT), Optional.of(NIGHT), Optional.empty(), false, cycles, NIGHT);
  }

  private static long count(String schema, String table) throws SQLException {
    try (Connection c = TestDatabase.server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
