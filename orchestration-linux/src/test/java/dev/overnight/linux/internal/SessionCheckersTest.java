package dev.overnight.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.platform.IdleRequirement;
import dev.overnight.core.process.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkers that ask the session: logind's idle hint and the desktop's Do Not Disturb. */
class SessionCheckersTest {
  static final String BUSCTL_IDLE = String.join(" ", LogindIdleChecker.COMMAND);
  static final String GSETTINGS = String.join(" ", DesktopDndChecker.GNOME);
  static final String KDE = String.join(" ", DesktopDndChecker.KDE);
  static final Map<String, String> GNOME_SESSION =
      Map.of(
          "XDG_CURRENT_DESKTOP",
          "ubuntu:GNOME",
          "DBUS_SESSION_BUS_ADDRESS",
          "unix:path=/run/user/1000/bus");

  @TempDir Path temp;

  private ConstraintResult idle(CommandRunner commands) {
    return new LogindIdleChecker(
            new FakeTree(temp).host(commands, Map.of(), d -> {}),
            new IdleRequirement(Duration.ofMinutes(15)))
        .check();
  }

  private static long micros(java.time.Instant at) {
    return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
  }

  @Test
  void idleLongerThanRequiredIsSatisfied() {
    long since = micros(FakeTree.NOW.minus(Duration.ofMinutes(22)));
    assertThat(idle(FakeTree.answering(BUSCTL_IDLE, 0, "b true\nt " + since + "\n", "")))
        .isEqualTo(ConstraintResult.satisfied("idle 22 min ≥ 15 min (logind IdleSinceHint)"));
  }

  @Test
  void idleShorterThanRequiredIsUnsatisfied() {
    long since = micros(FakeTree.NOW.minus(Duration.ofMinutes(3)));
    assertThat(idle(FakeTree.answering(BUSCTL_IDLE, 0, "b true\nt " + since + "\n", "")).reason())
        .isEqualTo("idle 3 min < 15 min (logind IdleSinceHint): the user is active");
  }

  @Test
  void anActiveUserIsUnsatisfied() {
    assertThat(idle(FakeTree.answering(BUSCTL_IDLE, 0, "b false\nt 1732500000000000\n", "")))
        .isEqualTo(ConstraintResult.unsatisfied("the user is active (logind IdleHint is false)"));
  }

  @Test
  void noBusOrNoTimestampIsUnknownWithTheReason() {
    ConstraintResult noBus =
        idle(
            FakeTree.answering(
                BUSCTL_IDLE, 1, "", "Failed to connect to bus: No such file or directory\n"));
    assertThat(noBus)
        .isEqualTo(
            ConstraintResult.unknown(
                "cannot read logind's IdleHint (busctl: exit 1: Failed to connect to bus: No such"
                    + " file or directory)"));
    assertThat(idle(FakeTree.answering(BUSCTL_IDLE, 0, "b true\nt 0\n", "")).status())
        .isEqualTo(ConstraintStatus.UNKNOWN);
    assertThat(idle(FakeTree.answering(BUSCTL_IDLE, 0, "s \"what\"\n", "")).reason())
        .startsWith("cannot parse busctl's answer");
    assertThat(idle(FakeTree.failingCommands()).reason()).contains("command not found: busctl");
  }

  @Test
  void idleOnThisMachineIsAnswered() {
    ConstraintResult r =
        new LogindIdleChecker(SysfsLinuxHost.system(), new IdleRequirement(Duration.ofMinutes(1)))
            .check();
    assertThat(r.reason()).isNotBlank();
  }

  private ConstraintResult dnd(Map<String, String> env, CommandRunner commands) {
    return new DesktopDndChecker(new FakeTree(temp).host(commands, env, d -> {})).check();
  }

  @Test
  void gnomeShowBannersFalseMeansDoNotDisturb() {
    assertThat(dnd(GNOME_SESSION, FakeTree.answering(GSETTINGS, 0, "false\n", "")))
        .isEqualTo(
            ConstraintResult.unsatisfied("Do Not Disturb is on (GNOME show-banners is false)"));
    assertThat(dnd(GNOME_SESSION, FakeTree.answering(GSETTINGS, 0, "true\n", "")).status())
        .isEqualTo(ConstraintStatus.SATISFIED);
    assertThat(
            dnd(GNOME_SESSION, FakeTree.answering(GSETTINGS, 1, "", "No such schema\n")).reason())
        .isEqualTo("cannot read GNOME's show-banners (gsettings: exit 1: No such schema)");
  }

  @Test
  void kdeInhibitedNotificationsMeanDoNotDisturb() {
    Map<String, String> kde =
        Map.of(
            "XDG_CURRENT_DESKTOP",
            "KDE",
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/run/user/1000/bus");
    assertThat(dnd(kde, FakeTree.answering(KDE, 0, "b true\n", "")))
        .isEqualTo(
            ConstraintResult.unsatisfied("Do Not Disturb is on (KDE notifications inhibited)"));
    assertThat(dnd(kde, FakeTree.answering(KDE, 0, "b false\n", "")).status())
        .isEqualTo(ConstraintStatus.SATISFIED);
  }

  @Test
  void withoutADesktopSessionDoNotDisturbIsUnknown() {
    // gsettings would answer "true" here (the schema default); it must not be asked.
    CommandRunner gsettingsSaysOff = FakeTree.answering(GSETTINGS, 0, "true\n", "");
    assertThat(dnd(Map.of(), gsettingsSaysOff).reason())
        .isEqualTo(
            "no desktop session (XDG_CURRENT_DESKTOP is not set): Do Not Disturb cannot be read");
    assertThat(dnd(Map.of("XDG_CURRENT_DESKTOP", "GNOME"), gsettingsSaysOff).reason())
        .startsWith("no session bus");
    assertThat(
            dnd(
                    Map.of("XDG_CURRENT_DESKTOP", "sway", "DBUS_SESSION_BUS_ADDRESS", "x"),
                    gsettingsSaysOff)
                .reason())
        .isEqualTo(
            "desktop sway has no Do Not Disturb state Overnight can read (GNOME and KDE are"
                + " supported)");
  }
}
