package dev.overnight.core.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.store.Store;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedStateCheckTest {
  private static final Instant T0 = Instant.parse("2026-11-25T22:00:00Z");

  @TempDir Path temp;
  private final TaskQueue queue = InMemoryTaskQueue.create(InstantSource.fixed(T0));
  private final SchedulerStateStore schedules = new TransientSchedulerStateStore();
  private final Store store =
      new Store() {
        @Override
        public TaskQueue taskQueue() {
          return queue;
        }

        @Override
        public SchedulerStateStore schedulerStateStore() {
          return schedules;
        }

        @Override
        public void close() {}
      };

  private Findings run(String configId, Optional<Store> s) {
    Findings findings = new Findings();
    new SharedStateCheck(configId, temp.resolve("app"), new StatePaths(temp), s).run(findings);
    return findings;
  }

  private void decided(String configId, String prompt) {
    queue.enqueue(TaskSpec.builder(prompt).metadata(TaskFacts.CONFIG_ID.key(), configId).build());
  }

  @Test
  void aFolderOnlyThisConfigurationUsesRaisesNothing() throws Exception {
    Files.writeString(temp.resolve("daemon.json"), "{\"config_id\": \"app\", \"pid\": 1}");
    decided("app", "Add tests for Parser");
    queue.enqueue(TaskSpec.builder("Tidy the build").build());
    schedules.save(snapshot("app"));

    Findings findings = run("app", Optional.of(store));

    assertThat(findings.warnings()).isEmpty();
    assertThat(findings.problems()).isEmpty();
  }

  @Test
  void theMachinesOfAFleetRunningThisConfigurationAreNotOthers() {
    schedules.save(snapshot("app@laptop"));
    schedules.save(snapshot("app@build-box"));
    schedules.save(snapshot("web@laptop"));

    Findings findings = run("app", Optional.of(store));

    assertThat(findings.warnings())
        .singleElement()
        .satisfies(
            w ->
                assertThat(w)
                    .startsWith(
                        "state folder " + temp + " is shared with configuration \"web@laptop\""));
  }

  @Test
  void anotherConfigurationsDaemonFileTasksOrScheduleAreAWarningNamingIt() throws Exception {
    Files.writeString(temp.resolve("daemon.json"), "{\"config_id\": \"web\", \"pid\": 1}");
    decided("app", "Add tests for Parser");
    decided("web", "Add tests for Router");
    decided("web", "Refactor Router");
    schedules.save(snapshot("app"));
    schedules.save(snapshot("cli"));

    Findings findings = run("app", Optional.of(store));

    assertThat(findings.warnings())
        .hasSize(2)
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("state folder " + temp + " is shared with configuration \"cli\"")
                    .contains("(its schedule history)"))
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("state folder " + temp + " is shared with configuration \"web\"")
                    .contains("(daemon.json, 2 tasks)")
                    .contains("give each its own id and state_dir"));
    assertThat(findings.problems()).isEmpty();
  }

  @Test
  void aDaemonOfTheSameIdOnAnotherWorkspaceIsAWarningNamingTheWorkspace() throws Exception {
    Files.writeString(
        temp.resolve("daemon.json"),
        "{\"config_id\": \"app\", \"workspace_root\": \"" + temp.resolve("web") + "\"}");

    assertThat(run("app", Optional.of(store)).warnings())
        .singleElement()
        .asString()
        .contains("configuration \"app\" of " + temp.resolve("web") + " (daemon.json)");

    Files.writeString(
        temp.resolve("daemon.json"),
        "{\"config_id\": \"app\", \"workspace_root\": \"" + temp.resolve("app") + "\"}");
    assertThat(run("app", Optional.of(store)).warnings()).isEmpty();
  }

  @Test
  void withoutAStoreTheDaemonFileStillTells() throws Exception {
    Files.writeString(temp.resolve("daemon.json"), "{\"config_id\": \"web\", \"pid\": 1}");

    assertThat(run("app", Optional.empty()).warnings())
        .singleElement()
        .asString()
        .contains("configuration \"web\" (daemon.json)");
  }

  @Test
  void aStoreThatFailsIsAWarningNotAnError() {
    queue.close();

    assertThat(run("app", Optional.of(store)).warnings())
        .singleElement()
        .asString()
        .startsWith("could not read the database of " + temp);
  }

  private static SchedulerSnapshot snapshot(String id) {
    return new SchedulerSnapshot(
        id, Optional.of(T0), Optional.of(T0), Optional.empty(), false, 1, T0);
  }
}
