package dev.overnight.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.notify.Attention;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.fakes.ManualTimeSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A pull request whose conflict the agent could not resolve: told at once, and in the night. */
class ConflictNotificationTest {
  private final ManualTimeSource time = ManualTimeSource.at("2026-11-25T09:00:00Z");

  @Test
  void anUnresolvedConflictNeedsAHumanAtOnceAndIsInTheNightsSummary() {
    List<Notification> sent = new CopyOnWriteArrayList<>();
    OrchestrationConfig config = OrchestrationConfig.builder(ConfigValue.of("/repo")).build();
    Task task =
        InMemoryTaskQueue.builder(time)
            .build()
            .enqueue(
                TaskSpec.builder("Tidy the parser")
                    .title("Tidy parser")
                    .metadata(
                        Map.of(
                            TaskFacts.BRANCH.key(), "overnight/tidy-parser-1",
                            TaskFacts.PR_URL.key(), "https://github.com/acme/shop/pull/7"))
                    .build())
            .task();
    Notifications notifications;
    try (Notifications n =
        Notifications.create(
            config,
            time,
            List.of(
                new ConfiguredNotifier(
                    NotifierSettings.of(0, "recording", Map.of()),
                    new Notifier() {
                      @Override
                      public String describe() {
                        return "recording";
                      }

                      @Override
                      public void send(Notification notification) {
                        sent.add(notification);
                      }
                    })))) {
      notifications = n;
      n.conflictUnresolved(
          time.instant(), task, List.of("Parser.java"), "the agent left conflict markers");
    }

    assertThat(notifications.notifiers()).hasSize(1);
    assertThat(sent).hasSize(2);
    Notification now = sent.get(0);
    assertThat(now.kind()).isEqualTo(NotificationKind.NEEDS_HUMAN);
    assertThat(now.attention()).contains(Attention.CONFLICT);
    assertThat(now.text())
        .contains("overnight/tidy-parser-1", "Parser.java", "the agent left conflict markers");
    assertThat(now.items())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.outcome()).isEqualTo("conflict");
              assertThat(i.link()).contains("https://github.com/acme/shop/pull/7");
            });
    Notification night = sent.get(1);
    assertThat(night.kind()).isEqualTo(NotificationKind.NIGHT_ENDED);
    assertThat(night.text()).contains("conflict: Tidy parser");
  }
}
