package dev.overnight.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real Spring Boot application with the starter on its class path and nothing else wired by hand:
 * every auto-configuration of the Boot line runs, Overnight's among them.
 */
@SpringBootTest(
    classes = OvernightApplicationTest.Application.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "spring.application.name=shop",
      "overnight.schedule.expression=0 2 * * *",
      "overnight.schedule.timezone=UTC",
      "management.endpoints.web.exposure.include=health,overnight"
    })
class OvernightApplicationTest {
  private static Path dir;

  @Autowired ApplicationContext context;
  @Autowired OvernightRuntime runtime;
  @Autowired FakeAgent agent;

  @DynamicPropertySource
  static void aRepository(DynamicPropertyRegistry properties) {
    properties.add("overnight.workspace-root", () -> folder().resolve("repo").toString());
    properties.add("overnight.state-dir", () -> folder().resolve("state").toString());
  }

  private static synchronized Path folder() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("overnight-boot");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      TestRepository.create(dir);
    }
    return dir;
  }

  @Test
  void theApplicationRunsOvernightAndReportsItThroughActuator() {
    assertThat(SpringBootVersion.getVersion()).startsWith(BootLine.MAJOR + ".");
    assertThat(runtime.config().id()).isEqualTo("shop");
    assertThat(runtime.scheduler().state()).isInstanceOf(SchedulerState.Running.class);
    assertThat(BootLine.health(context)).containsEntry("status", "UP");
    assertThat(context.getBean(OvernightEndpoint.class).status()).containsKey("queue");

    Task task =
        runtime
            .taskQueue()
            .enqueue(TaskSpec.builder("Write FIXED").title("Fix").agentId("claude-code").build())
            .task();
    runtime.runOnce();

    assertThat(runtime.taskQueue().get(task.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);
    assertThat(agent.prompts()).hasSize(1);
    assertThat(context.getBean(OvernightEndpoint.class).part("queue").get("completed"))
        .isEqualTo(1L);
  }

  /** The application: its agent, its clock, its decisions. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Application {
    @Bean
    TimeSource clock() {
      return new ManualTimeSource(Instant.parse("2026-11-25T01:00:00Z"));
    }

    @Bean
    FakeAgent agent(TimeSource clock) {
      return FakeAgent.builder("claude-code")
          .timeSource(clock)
          .session(
              FakeTurn.builder()
                  .write("FIXED", "yes\n")
                  .endTurn(new Usage(100, 20, 0, 0, Optional.of(0.01))))
          .build();
    }

    @Bean
    DecisionEngine decisions() {
      return context -> Optional.empty();
    }

    @Bean
    OvernightRuntimeCustomizer quiet() {
      return b -> b.shutdownHook(false).environment(Map.of());
    }
  }
}
