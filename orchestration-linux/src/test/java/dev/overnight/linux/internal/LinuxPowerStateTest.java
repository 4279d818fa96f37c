package dev.overnight.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.PowerState;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The power state a due wake reads, from a stand-in sysfs and procfs. */
class LinuxPowerStateTest {
  @TempDir Path temp;

  private static Map<String, String> battery(String status) {
    return Map.of("type", "Battery", "present", "1", "status", status, "capacity", "58");
  }

  @Test
  void aLaptopOnBatteryWithItsLidClosed() {
    FakeTree tree =
        new FakeTree(temp)
            .supply("AC", Map.of("type", "Mains", "online", "0"))
            .supply("BAT0", battery("Discharging"))
            .proc("acpi/button/lid/LID0/state", "state:      closed\n");

    PowerState state = new LinuxPowerState(tree.host()).read();

    assertThat(state)
        .isEqualTo(new PowerState(Optional.of(true), Optional.of(true), Optional.empty()));
  }

  @Test
  void aLaptopOnMainsWithItsLidOpen() {
    FakeTree tree =
        new FakeTree(temp)
            .supply("AC", Map.of("type", "Mains", "online", "1"))
            .supply("BAT0", battery("Charging"))
            .proc("acpi/button/lid/LID/state", "state:      open\n");

    assertThat(new LinuxPowerState(tree.host()).read())
        .isEqualTo(new PowerState(Optional.of(false), Optional.of(false), Optional.empty()));
  }

  @Test
  void aServerWithoutSuppliesOrLidIsOnMainsAndHasNoLid() {
    FakeTree tree = new FakeTree(temp);

    assertThat(new LinuxPowerState(tree.host()).read())
        .isEqualTo(new PowerState(Optional.of(false), Optional.empty(), Optional.empty()));
  }

  @Test
  void theWakeSchedulerAnswersWithThePowerStateItReads() {
    FakeTree tree =
        new FakeTree(temp)
            .supply("BAT0", battery("Discharging"))
            .proc("acpi/button/lid/LID0/state", "state:      closed\n");
    LinuxWakeScheduler scheduler =
        new LinuxWakeScheduler(
            FakeTree.failingCommands(),
            List.of(),
            () -> false,
            InstantSource.fixed(FakeTree.NOW),
            new LinuxPowerState(tree.host())::read);

    assertThat(scheduler.powerState().words()).isEqualTo("on battery, lid closed");
  }
}
