package dev.overnight.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.WakeAvailability;
import dev.overnight.api.WakeScheduler.Scheduled;
import dev.overnight.api.WakeScheduler.WakeId;
import dev.overnight.core.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wake scheduling through stand-in {@code rtcwake}, {@code systemd-run} and {@code systemctl}
 * scripts that record their arguments, on a PATH of their own.
 */
class LinuxWakeSchedulerTest {
  private static final Instant NOW = Instant.parse("2026-03-01T20:00:00Z");
  private static final Instant WAKE = Instant.parse("2026-03-02T01:58:00Z");

  @TempDir Path temp;

  private Path bin() throws IOException {
    return Files.createDirectories(temp.resolve("bin"));
  }

  /** A program that appends its name and arguments to {@code calls} and exits with {@code code}. */
  private void program(String name, int code) throws IOException {
    Path file = bin().resolve(name);
    Files.writeString(
        file, "#!/bin/sh\necho \"" + name + " $*\" >> '" + calls() + "'\nexit " + code + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
  }

  private Path calls() {
    return temp.resolve("calls");
  }

  private List<String> recorded() throws IOException {
    return Files.exists(calls()) ? Files.readAllLines(calls()) : List.of();
  }

  private LinuxWakeScheduler scheduler(boolean mayWakeRtc) throws IOException {
    return new LinuxWakeScheduler(
        CommandRunner.system(), List.of(bin()), () -> mayWakeRtc, InstantSource.fixed(NOW));
  }

  @Test
  void rtcwakeSetsTheAlarmAndDisablesItOnCancel() throws IOException {
    program("rtcwake", 0);
    program("systemd-run", 0);
    program("systemctl", 0);
    LinuxWakeScheduler s = scheduler(true);

    assertThat(s.availability().mechanism()).isEqualTo("rtcwake");
    Scheduled scheduled = s.schedule(WAKE, "overnight window at 02:00");
    assertThat(scheduled.failure()).isEmpty();
    s.cancel(scheduled.id().orElseThrow());

    assertThat(recorded())
        .containsExactly("rtcwake -m no -t " + WAKE.getEpochSecond(), "rtcwake -m disable");
  }

  @Test
  void withoutPermissionForTheRtcASystemdTimerWakesTheMachineAndIsStoppedOnCancel()
      throws IOException {
    program("rtcwake", 0);
    program("systemd-run", 0);
    program("systemctl", 0);
    LinuxWakeScheduler s = scheduler(false);

    WakeAvailability a = s.availability();
    assertThat(a.possible()).isTrue();
    assertThat(a.mechanism()).isEqualTo("systemd timer");
    assertThat(a.detail()).contains("rtcwake needs root or CAP_SYS_TIME");
    Scheduled scheduled = s.schedule(WAKE, "overnight window");
    s.cancel(scheduled.id().orElseThrow());

    String unit = "overnight-wake-" + WAKE.getEpochSecond();
    assertThat(recorded())
        .containsExactly(
            "systemd-run --unit="
                + unit
                + " --description=overnight window --on-calendar=2026-03-02 01:58:00 UTC"
                + " --timer-property=WakeSystem=true --timer-property=AccuracySec=1s true",
            "systemctl stop " + unit + ".timer");
  }

  @Test
  void aFailingRtcwakeFallsBackOnTheTimer() throws IOException {
    program("rtcwake", 1);
    program("systemd-run", 0);
    program("systemctl", 0);

    Scheduled scheduled = scheduler(true).schedule(WAKE, "night");

    assertThat(scheduled.id().map(WakeId::value))
        .hasValue("systemd:overnight-wake-" + WAKE.getEpochSecond());
    assertThat(recorded()).hasSize(2);
  }

  @Test
  void whenEveryWayIsRefusedNothingIsScheduledAndTheFailureSaysWhy() throws IOException {
    program("rtcwake", 1);
    program("systemd-run", 4);

    Scheduled scheduled = scheduler(true).schedule(WAKE, "night");

    assertThat(scheduled.id()).isEmpty();
    assertThat(scheduled.failure()).contains("rtcwake: exit 1").contains("systemd-run: exit 4");
  }

  @Test
  void withNeitherProgramWakeSchedulingIsImpossibleAndSaysWhy() throws IOException {
    LinuxWakeScheduler s = scheduler(true);

    assertThat(s.availability().possible()).isFalse();
    assertThat(s.availability().detail()).contains("neither rtcwake");
    assertThat(s.schedule(WAKE, "night").failure()).contains("neither rtcwake");
  }

  @Test
  void anUnprivilegedRtcwakeWithoutSystemdIsNotPermitted() throws IOException {
    program("rtcwake", 0);

    WakeAvailability a = scheduler(false).availability();

    assertThat(a.possible()).isFalse();
    assertThat(a.detail()).contains("CAP_SYS_TIME");
    assertThat(recorded()).isEmpty();
  }

  @Test
  void aPassedInstantIsRefusedWithoutRunningAnything() throws IOException {
    program("rtcwake", 0);

    Scheduled scheduled = scheduler(true).schedule(NOW, "night");

    assertThat(scheduled.failure()).contains("has passed");
    assertThat(recorded()).isEmpty();
  }
}
