package dev.overnight.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.postgres.PostgresStore;
import dev.overnight.postgres.PostgresTaskQueue;
import dev.overnight.spring.boot.autoconfigure.OvernightAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.sqlite.SQLiteDataSource;

/**
 * What the starter takes from the application: its meter registry, its OpenTelemetry and its
 * DataSource, each used when the application has one.
 */
class ApplicationResourcesTest {
  private static final Instant NIGHT = Instant.parse("2026-11-25T01:00:00Z");
  private static EmbeddedPostgres postgres;

  @TempDir Path dir;
  private ApplicationContextRunner runner;

  @BeforeEach
  void anApplication() {
    Path repo = TestRepository.create(dir);
    FakeAgent agent =
        FakeAgent.builder("claude-code")
            .session(
                FakeTurn.builder()
                    .write("FIXED", "yes\n")
                    .endTurn(new Usage(100, 20, 0, 0, Optional.of(0.01))))
            .build();
    runner =
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OvernightAutoConfiguration.class))
            .withPropertyValues(
                "spring.application.name=shop",
                "overnight.workspace-root=" + repo,
                "overnight.state-dir=" + dir.resolve("state"),
                "overnight.schedule.expression=0 2 * * *",
                "overnight.scheduler.auto-start=false")
            .withBean(TimeSource.class, () -> new ManualTimeSource(NIGHT))
            .withBean(DecisionEngine.class, () -> context -> Optional.empty())
            .withBean(AgentProvider.class, () -> agent)
            .withBean(OvernightRuntimeCustomizer.class, () -> b -> b.shutdownHook(false));
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void theApplicationsRegistryAndOpenTelemetryGetTheRuntimesMetricsAndSpans() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(
            OpenTelemetry.class,
            () ->
                OpenTelemetrySdk.builder()
                    .setTracerProvider(
                        SdkTracerProvider.builder()
                            .addSpanProcessor(SimpleSpanProcessor.create(spans))
                            .build())
                    .build())
        .run(
            context -> {
              OvernightRuntime runtime = context.getBean(OvernightRuntime.class);
              runTask(runtime);

              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(
                      registry
                          .get("overnight.task.attempts")
                          .tags("config", "shop", "outcome", "completed", "agent", "claude-code")
                          .timer()
                          .count())
                  .isEqualTo(1);
              assertThat(spans.getFinishedSpanItems())
                  .extracting(SpanData::getName)
                  .contains("overnight.cycle", "overnight.task", "invoke_agent claude-code");
            });
  }

  @Test
  void thePostgresDataSourceOfTheApplicationKeepsTheQueue() {
    DataSource dataSource = freshSchema();
    runner
        .withBean(DataSource.class, () -> dataSource)
        .run(
            context -> {
              OvernightRuntime runtime = context.getBean(OvernightRuntime.class);
              assertThat(runtime.taskQueue()).isInstanceOf(PostgresTaskQueue.class);
              Task task = runTask(runtime);

              try (PostgresStore other = PostgresStore.builder(dataSource).build()) {
                assertThat(other.taskQueue().get(task.id()).orElseThrow().status())
                    .isEqualTo(TaskStatus.COMPLETED);
              }
            });

    runner
        .withBean(DataSource.class, () -> dataSource)
        .withPropertyValues("overnight.use-data-source=false")
        .run(
            context ->
                assertThat(context.getBean(OvernightRuntime.class).taskQueue())
                    .isNotInstanceOf(PostgresTaskQueue.class));
  }

  @Test
  void aDataSourceOfAnotherDatabaseLeavesTheQueueInTheStateFolder() {
    SQLiteDataSource other = new SQLiteDataSource();
    other.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
    runner
        .withBean(DataSource.class, () -> other)
        .run(
            context -> {
              OvernightRuntime runtime = context.getBean(OvernightRuntime.class);
              assertThat(runtime.taskQueue()).isNotInstanceOf(PostgresTaskQueue.class);
              assertThat(runtime.paths().database()).exists();
            });
  }

  private static Task runTask(OvernightRuntime runtime) {
    Task task =
        runtime
            .taskQueue()
            .enqueue(TaskSpec.builder("Write FIXED").title("Fix").agentId("claude-code").build())
            .task();
    runtime.runOnce();
    assertThat(runtime.taskQueue().get(task.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);
    return task;
  }

  /** A new schema of a real PostgreSQL server, as an application's DataSource. */
  private static synchronized DataSource freshSchema() {
    try {
      if (postgres == null) {
        postgres = EmbeddedPostgres.builder().start();
      }
      String schema = "app_" + System.nanoTime();
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + schema);
      }
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl(
          "jdbc:postgresql://localhost:"
              + postgres.getPort()
              + "/postgres?currentSchema="
              + schema);
      ds.setUser("postgres");
      return ds;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
