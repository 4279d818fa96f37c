package dev.overnight.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.fakes.ManualTimeSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a queue of someone else's gets from {@link TaskQueue}'s default methods, shown on a queue
 * whose own overrides are bypassed.
 */
class TaskQueueDefaultsTest {
  private static final Duration LEASE = Duration.ofMinutes(5);

  private final InMemoryTaskQueue real =
      InMemoryTaskQueue.create(ManualTimeSource.at("2026-11-25T01:00:00Z"));

  /** {@link #real}, with every default method of the interface running as written there. */
  private final TaskQueue withDefaults =
      (TaskQueue)
          Proxy.newProxyInstance(
              TaskQueue.class.getClassLoader(),
              new Class<?>[] {TaskQueue.class},
              (proxy, method, args) -> {
                if (method.isDefault()) {
                  return InvocationHandler.invokeDefault(proxy, method, args);
                }
                try {
                  return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });

  @Test
  void theDefaultRecoveryGivesBackEveryTaskOfTheDeadWorkerAndNoOneElses() {
    // More than one page of tasks in progress.
    for (int i = 0; i < 1_005; i++) {
      real.enqueue(TaskSpec.builder("task " + i).build());
    }
    for (int i = 0; i < 1_004; i++) {
      real.claimNext(i == 500 ? "alive" : "dead", LEASE).orElseThrow();
    }

    List<Task> recovered = withDefaults.recoverLeasesOf("dead", "its process is gone");

    assertThat(recovered)
        .hasSize(1_003)
        .allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.PENDING));
    assertThat(real.list(TaskFilter.withStatus(TaskStatus.IN_PROGRESS)).items())
        .singleElement()
        .satisfies(t -> assertThat(t.workerId()).contains("alive"));
  }

  @Test
  void theDefaultTasksOfAWorkerAreThoseItClaimedLastAcrossPages() {
    ManualTimeSource clock = ManualTimeSource.at("2026-11-25T01:00:00Z");
    InMemoryTaskQueue queue = InMemoryTaskQueue.create(clock);
    Instant start = clock.instant();
    // More than one page of tasks, every other one run by "a".
    for (int i = 0; i < 1_005; i++) {
      queue.enqueue(TaskSpec.builder("task " + i).build());
      clock.advance(Duration.ofMillis(1));
    }
    for (int i = 0; i < 1_004; i++) {
      Task t = queue.claimNext(i % 2 == 0 ? "a" : "b", LEASE).orElseThrow();
      if (i % 4 == 0) {
        queue.complete(t.id(), "a", "done", Map.of());
      }
    }
    TaskQueue defaults =
        (TaskQueue)
            Proxy.newProxyInstance(
                TaskQueue.class.getClassLoader(),
                new Class<?>[] {TaskQueue.class},
                (proxy, method, args) ->
                    method.isDefault()
                        ? InvocationHandler.invokeDefault(proxy, method, args)
                        : method.invoke(queue, args));

    List<Task> ran = defaults.ranBy("a", start);

    assertThat(ran).hasSize(502).isEqualTo(queue.ranBy("a", start));
    assertThat(ran).isSortedAccordingTo(Comparator.comparing(Task::createdAt));
    assertThat(defaults.ranBy("a", clock.instant().plusSeconds(1))).isEmpty();
  }
}
