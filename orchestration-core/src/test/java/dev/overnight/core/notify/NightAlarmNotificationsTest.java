package dev.overnight.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.notify.Attention;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.report.NightAlarm;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Night alarms go out through the notifiers once per alarm, not once per cycle. */
class NightAlarmNotificationsTest {
  private static final Instant T = Instant.parse("2026-11-25T03:00:00Z");

  private final ManualTimeSource time = new ManualTimeSource(T);
  private final List<Notification> sent = new CopyOnWriteArrayList<>();
  private volatile List<NightAlarm> raised = List.of();
  private final Semaphore reads = new Semaphore(0);

  /** Tells {@code n} of {@code event} and waits until it has read the alarms for it. */
  private void tell(Notifications n, SchedulerEvent event) throws InterruptedException {
    n.onEvent(event);
    assertThat(reads.tryAcquire(10, TimeUnit.SECONDS)).as("the alarms were read").isTrue();
  }

  private static NightAlarm noChange(String... nights) {
    return new NightAlarm(
        NightAlarm.Kind.NO_CHANGE,
        List.of(nights).stream().map(LocalDate::parse).toList(),
        "The schedule fired on each of the last 3 nights without producing a change.");
  }

  private Notifications notifications() {
    return notifications(Optional.empty());
  }

  private Notifications notifications(Optional<Path> toldAlarms) {
    Notifier recording =
        new Notifier() {
          @Override
          public void send(Notification notification) {
            sent.add(notification);
          }

          @Override
          public String describe() {
            return "recording";
          }
        };
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of("/tmp/repo")).id("alarms").build();
    List<ConfiguredNotifier> notifiers =
        List.of(
            new ConfiguredNotifier(
                NotifierSettings.of(0, "webhook", Map.of("url", "http://127.0.0.1:1/")),
                recording));
    Supplier<List<NightAlarm>> alarms =
        () -> {
          List<NightAlarm> now = raised;
          reads.release();
          return now;
        };
    return toldAlarms
        .map(file -> Notifications.create(config, time, notifiers, alarms, file))
        .orElseGet(() -> Notifications.create(config, time, notifiers, alarms));
  }

  private static SchedulerEvent finished(Instant at) {
    return new SchedulerEvent.CycleFinished(at, "cycle-1", Duration.ofMinutes(5), Optional.empty());
  }

  @Test
  void anAlarmIsToldOnceWhileItStaysRaisedAndAgainForANewStreak() throws Exception {
    Notifications n = notifications();
    tell(n, finished(T)); // no alarm yet
    raised = List.of(noChange("2026-11-22", "2026-11-23", "2026-11-24"));
    tell(n, finished(T));
    tell(n, new SchedulerEvent.CycleSkipped(T, T, SkipReason.MACHINE_ASLEEP, "asleep"));
    raised = List.of(noChange("2026-11-23", "2026-11-24", "2026-11-25")); // the same streak
    tell(n, finished(T.plus(Duration.ofDays(1))));
    raised = List.of(noChange("2026-11-27", "2026-11-28", "2026-11-29")); // a new streak
    tell(n, finished(T.plus(Duration.ofDays(5))));
    n.close(); // waits for what is queued

    assertThat(sent).hasSize(2);
    assertThat(sent)
        .allSatisfy(
            s -> {
              assertThat(s.kind()).isEqualTo(NotificationKind.NEEDS_HUMAN);
              assertThat(s.attention()).contains(Attention.NIGHT_ALARM);
              assertThat(s.title()).isEqualTo("Overnight alarms: no change alarm");
              assertThat(s.text()).contains("without producing a change");
            });
  }

  @Test
  void anAlarmToldBeforeARestartIsNotToldAgainAfterIt(@TempDir Path state) throws Exception {
    Path told = state.resolve("told-alarms");
    raised = List.of(noChange("2026-11-22", "2026-11-23", "2026-11-24"));
    Notifications before = notifications(Optional.of(told));
    tell(before, finished(T));
    before.close();
    assertThat(sent).hasSize(1);

    Notifications after = notifications(Optional.of(told)); // Overnight restarted on the same state
    tell(after, finished(T.plus(Duration.ofMinutes(10))));
    raised = List.of(noChange("2026-11-23", "2026-11-24", "2026-11-25")); // still the same streak
    tell(after, finished(T.plus(Duration.ofDays(1))));
    after.close();
    assertThat(sent).as("the raised alarm is not told again after the restart").hasSize(1);

    Notifications again = notifications(Optional.of(told));
    raised = List.of(noChange("2026-11-27", "2026-11-28", "2026-11-29")); // a new streak
    tell(again, finished(T.plus(Duration.ofDays(5))));
    again.close();
    assertThat(sent).hasSize(2);
    assertThat(Files.readString(told)).isEqualTo("no_change 2026-11-27 2026-11-28 2026-11-29\n");
  }

  @Test
  void anUnreadableMemoryOnlyRisksTellingAnAlarmAgain(@TempDir Path state) throws Exception {
    Path told = state.resolve("told-alarms");
    Files.writeString(told, "garbage\nnever_heard_of 2026-11-22\nno_change yesterday\n");
    raised = List.of(noChange("2026-11-22", "2026-11-23", "2026-11-24"));

    Notifications n = notifications(Optional.of(told));
    tell(n, finished(T));
    tell(n, finished(T));
    n.close();

    assertThat(sent).hasSize(1);
    assertThat(Files.readString(told)).isEqualTo("no_change 2026-11-22 2026-11-23 2026-11-24\n");
  }

  @Test
  void otherSchedulerEventsReadNoAlarms() {
    raised = List.of(noChange("2026-11-22", "2026-11-23", "2026-11-24"));
    Notifications n = notifications();

    n.onEvent(new SchedulerEvent.Resumed(T));
    n.close();

    assertThat(reads.availablePermits()).isZero();
    assertThat(sent).isEmpty();
  }
}
