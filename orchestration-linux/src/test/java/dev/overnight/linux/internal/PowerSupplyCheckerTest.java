package dev.overnight.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.constraint.ConstraintResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PowerSupplyCheckerTest {
  @TempDir Path temp;

  private ConstraintResult check(FakeTree tree) {
    return new PowerSupplyChecker(tree.host()).check();
  }

  static Map<String, String> battery(String status, String capacity) {
    return Map.of(
        "type",
        "Battery",
        "status",
        status,
        "capacity",
        capacity,
        "present",
        "1",
        "scope",
        "System");
  }

  @Test
  void noSupplyAtAllCountsAsAcPower() {
    FakeTree tree = new FakeTree(temp).sysDir("class/power_supply");
    ConstraintResult r = check(tree);
    assertThat(r.isSatisfied()).isTrue();
    assertThat(r.reason())
        .startsWith("no power supply in ")
        .endsWith(": a desktop, server or VM counts as on AC power");
  }

  @Test
  void aMissingPowerSupplyClassCountsAsAcPowerToo() {
    assertThat(check(new FakeTree(temp)).isSatisfied()).isTrue();
  }

  @Test
  void onBatteryWhenTheBatteryDischargesAndNothingIsOnline() {
    FakeTree tree =
        new FakeTree(temp)
            .supply("AC", Map.of("type", "Mains", "online", "0"))
            .supply("BAT0", battery("Discharging", "58"));
    assertThat(check(tree))
        .isEqualTo(ConstraintResult.unsatisfied("on battery (BAT0 discharging, 58%)"));
  }

  @Test
  void onAcWhenAnySupplyIsOnlineWhateverTheBatterySays() {
    FakeTree tree =
        new FakeTree(temp)
            .supply("ADP1", Map.of("type", "Mains", "online", "1"))
            .supply("BAT0", battery("Charging", "80"))
            .supply("BAT1", battery("Discharging", "40"));
    assertThat(check(tree))
        .isEqualTo(
            ConstraintResult.satisfied(
                "on AC power (ADP1 Mains online; battery BAT0 charging, 80%, BAT1 discharging,"
                    + " 40%)"));
  }

  @Test
  void everySupplyIsReadNotOnlyTheFirst() {
    FakeTree tree =
        new FakeTree(temp)
            .supply("AC0", Map.of("type", "Mains", "online", "0"))
            .supply("AC1", Map.of("type", "Mains", "online", "0"))
            .supply("ucsi-source-psy-USBC000:001", Map.of("type", "USB", "online", "1"));
    assertThat(check(tree).reason())
        .isEqualTo("on AC power (ucsi-source-psy-USBC000:001 USB online)");
  }

  @Test
  void peripheralAndAbsentBatteriesAreIgnored() {
    FakeTree tree =
        new FakeTree(temp)
            .supply(
                "hidpp_battery_0",
                Map.of(
                    "type",
                    "Battery",
                    "scope",
                    "Device",
                    "status",
                    "Discharging",
                    "capacity",
                    "30"))
            .supply("BAT1", Map.of("type", "Battery", "present", "0", "status", "Discharging"));
    ConstraintResult r = check(tree);
    assertThat(r.isSatisfied()).isTrue();
    assertThat(r.reason())
        .isEqualTo(
            "no supply reports online and no battery is discharging; ignored BAT1 (not present),"
                + " hidpp_battery_0 (a device's battery): counts as on AC power");
  }

  @Test
  void aFullBatteryWithNoOnlineSupplyCountsAsAc() {
    FakeTree tree = new FakeTree(temp).supply("BAT0", battery("Full", "100"));
    assertThat(check(tree).reason())
        .isEqualTo(
            "no supply reports online and no battery is discharging (battery BAT0 full, 100%):"
                + " counts as on AC power");
  }

  @Test
  void aUsbSupplyIsIgnoredWhileAUsbCPortSourcesPower() {
    FakeTree tree =
        new FakeTree(temp)
            .supply("usb0", Map.of("type", "USB", "online", "1"))
            .supply("BAT0", battery("Discharging", "70"))
            .sys("class/typec/port0/power_role", "[source] sink");
    assertThat(check(tree))
        .isEqualTo(ConstraintResult.unsatisfied("on battery (BAT0 discharging, 70%)"));
  }

  @Test
  void garbledAttributesReadAsAbsent() {
    FakeTree tree =
        new FakeTree(temp)
            .supply("AC", Map.of("type", "Mains", "online", "yes?"))
            .supply("BAT0", Map.of("type", "Battery", "status", "Discharging", "capacity", "n/a"));
    assertThat(check(tree))
        .isEqualTo(ConstraintResult.unsatisfied("on battery (BAT0 discharging)"));
  }
}
