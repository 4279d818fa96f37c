package dev.overnight.macos.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.platform.CpuLimit;
import dev.overnight.core.platform.IdleRequirement;
import dev.overnight.core.platform.NetworkRequirement;
import dev.overnight.core.process.CommandResult;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The macOS logic, fed recorded values through the facade. */
class MacCheckersTest {
  final FakeMacSystem mac = new FakeMacSystem();

  @Nested
  class Power {
    ConstraintResult check() {
      return new MacPowerChecker(mac).check();
    }

    @Test
    void aLaptopOnBatterySaysSoWithItsCharge() {
      mac.power =
          new MacSystem.PowerSnapshot(
              Optional.of("Battery Power"),
              List.of(FakeMacSystem.internalBattery("Battery Power", 58, false)));
      assertThat(check())
          .isEqualTo(ConstraintResult.unsatisfied("on battery (InternalBattery-0 58%)"));
    }

    @Test
    void aLaptopOnAcSaysSoWithItsCharge() {
      mac.power =
          new MacSystem.PowerSnapshot(
              Optional.of("AC Power"),
              List.of(FakeMacSystem.internalBattery("AC Power", 80, true)));
      assertThat(check())
          .isEqualTo(ConstraintResult.satisfied("on AC power (InternalBattery-0 80%, charging)"));
    }

    @Test
    void aDesktopMacWithNoBatteryIsOnAc() {
      mac.power = new MacSystem.PowerSnapshot(Optional.of("AC Power"), List.of());
      assertThat(check())
          .isEqualTo(
              ConstraintResult.satisfied(
                  "on AC power (no battery or UPS: a desktop Mac counts as on AC power)"));
      mac.power = new MacSystem.PowerSnapshot(Optional.empty(), List.of());
      assertThat(check().isSatisfied()).isTrue();
    }

    @Test
    void everySourceIsReadNotOnlyTheFirst() {
      mac.power =
          new MacSystem.PowerSnapshot(
              Optional.of("UPS Power"),
              List.of(
                  FakeMacSystem.internalBattery("AC Power", 100, false),
                  FakeMacSystem.ups("Battery Power", 45, 50)));
      assertThat(check())
          .isEqualTo(
              ConstraintResult.unsatisfied(
                  "on UPS power (InternalBattery-0 100%; Back-UPS ES 700 [UPS] 90%)"));
    }

    @Test
    void withoutAProvidingTypeTheSourcesDecide() {
      mac.power =
          new MacSystem.PowerSnapshot(
              Optional.empty(), List.of(FakeMacSystem.internalBattery("Battery Power", 12, false)));
      assertThat(check().status()).isEqualTo(ConstraintStatus.UNSATISFIED);
      Map<String, Object> odd = FakeMacSystem.internalBattery("Off Line", 50, false);
      mac.power = new MacSystem.PowerSnapshot(Optional.of("Something New"), List.of(odd));
      assertThat(check().status()).isEqualTo(ConstraintStatus.UNKNOWN);
    }

    @Test
    void aFailingNativeCallIsUnknown() {
      mac.powerFailure = new IllegalStateException("IOPSCopyPowerSourcesInfo returned NULL");
      assertThat(check().reason()).startsWith("cannot read the power sources: ");
    }
  }

  @Nested
  class Network {
    ConstraintResult check(boolean allowWired) {
      return new MacNetworkChecker(mac, new NetworkRequirement(allowWired)).check();
    }

    @Test
    void wifiIsSatisfied() {
      mac.primary("en0");
      assertThat(check(false))
          .isEqualTo(
              ConstraintResult.satisfied(
                  "primary interface en0 is Wi-Fi (type IEEE80211, \"Wi-Fi\")"));
    }

    @Test
    void ethernetOnlyWithAllowWired() {
      mac.primary("en5");
      assertThat(check(false).status()).isEqualTo(ConstraintStatus.UNSATISFIED);
      assertThat(check(false).reason()).endsWith("set allow_wired to accept it");
      assertThat(check(true).status()).isEqualTo(ConstraintStatus.SATISFIED);
    }

    @Test
    void aPhoneIsNeverAcceptedAsWired() {
      mac.primary("en7");
      assertThat(check(true).reason())
          .isEqualTo(
              "primary interface en7 is tethered to a phone (type Ethernet, \"iPhone USB\"), not Wi-Fi");
    }

    @Test
    void aVpnTunnelIsUnknownAndOfflineIsUnsatisfied() {
      mac.primary("utun4");
      assertThat(check(true).status()).isEqualTo(ConstraintStatus.UNKNOWN);
      mac.primary(null);
      assertThat(check(true).reason()).contains("offline");
      mac.primary("en9");
      assertThat(check(true).reason()).contains("not among the interfaces");
    }
  }

  @Nested
  class Cpu {
    ConstraintResult check() {
      return new MacCpuChecker(mac, new CpuLimit(80), Duration.ofMillis(500)).check();
    }

    @Test
    void busyShareOfTheWindowAgainstTheLimit() {
      mac.ticks.add(new long[] {1000, 500, 8000, 10});
      mac.ticks.add(new long[] {1060, 520, 8010, 20}); // busy 90, idle 10
      assertThat(check()).isEqualTo(ConstraintResult.unsatisfied("CPU 90% > 80% (over 500 ms)"));
      assertThat(mac.pauses).isEqualTo(1);
    }

    @Test
    void thirtyTwoBitCountersThatWrapAreHandled() {
      mac.ticks.add(new long[] {0xFFFF_FFF0L, 100, 0xFFFF_FFFFL, 0});
      mac.ticks.add(new long[] {0x0000_0004L, 100, 0x0000_0045L, 0}); // busy 20, idle 70
      assertThat(check().reason()).startsWith("CPU 22% ≤ 80%");
    }

    @Test
    void noMovementOrNoTicksIsUnknown() {
      mac.ticks.add(new long[] {1, 2, 3, 4});
      mac.ticks.add(new long[] {1, 2, 3, 4});
      assertThat(check().reason()).isEqualTo("CPU ticks did not move in 500 ms");
      assertThat(check().reason()).startsWith("cannot read CPU ticks: ");
      mac.ticks.add(new long[] {1});
      mac.ticks.add(new long[] {2});
      assertThat(check().reason()).isEqualTo("host_statistics gave no CPU ticks");
    }
  }

  @Nested
  class Idle {
    ConstraintResult check() {
      return new MacIdleChecker(mac, new IdleRequirement(Duration.ofMinutes(15))).check();
    }

    @Test
    void hidIdleTimeAgainstIdleMinutes() {
      mac.hidIdle = OptionalLong.of(Duration.ofMinutes(3).plusSeconds(20).toNanos());
      assertThat(check())
          .isEqualTo(
              ConstraintResult.unsatisfied(
                  "idle 3 min 20 s < 15 min (HIDIdleTime): the user is active"));
      mac.hidIdle = OptionalLong.of(Duration.ofMinutes(40).toNanos());
      assertThat(check())
          .isEqualTo(ConstraintResult.satisfied("idle 40 min ≥ 15 min (HIDIdleTime)"));
    }

    @Test
    void coreGraphicsIsTheFallback() {
      mac.hidFailure = new ClassCastException("CFData is not a CFNumber");
      mac.cgIdle = OptionalDouble.of(1200.4);
      assertThat(check().reason()).isEqualTo("idle 20 min ≥ 15 min (CGEventSource)");
    }

    @Test
    void noSourceIsUnknown() {
      mac.hidFailure = new UnsatisfiedLinkError("IOKit");
      assertThat(check().reason())
          .startsWith("no idle time: HIDIdleTime gave java.lang.UnsatisfiedLinkError: IOKit");
    }

    @Test
    void rawHidIdleBytesAreLittleEndian() {
      assertThat(
              MacValues.littleEndianUnsigned(
                  new byte[] {0x00, (byte) 0xCA, (byte) 0x9A, 0x3B, 0, 0, 0, 0}))
          .hasValue(1_000_000_000L);
      assertThat(MacValues.littleEndianUnsigned(new byte[0])).isEmpty();
      assertThat(MacValues.littleEndianUnsigned(new byte[9])).isEmpty();
    }
  }

  @Nested
  class Focus {
    static final String ON =
        "{\"data\":[{\"storeAssertionRecords\":[{\"assertionUUID\":\"5B1C\",\"assertionDetails\":"
            + "{\"assertionDetailsModeIdentifier\":\"com.apple.focus.work\","
            + "\"assertionDetailsReason\":\"user-action\"},\"assertionStartDateTimestamp\":7.5E8}]}]}";
    static final String OFF = "{\"data\":[{\"storeAssertionRecords\":[]}]}";
    static final String MODES =
        "{\"data\":[{\"modeConfigurations\":{\"com.apple.focus.work\":{\"mode\":"
            + "{\"name\":\"Work\",\"modeIdentifier\":\"com.apple.focus.work\"}}}}]}";

    ConstraintResult check() {
      return new MacFocusChecker(mac).check();
    }

    @Test
    void anAssertionRecordMeansAFocusIsOnByName() {
      mac.homeFiles.put(MacFocusChecker.ASSERTIONS, ON);
      mac.homeFiles.put(MacFocusChecker.MODES, MODES);
      assertThat(check())
          .isEqualTo(ConstraintResult.unsatisfied("Focus is on: Work (com.apple.focus.work)"));
      mac.homeFiles.remove(MacFocusChecker.MODES);
      assertThat(check().reason()).isEqualTo("Focus is on: com.apple.focus.work");
    }

    @Test
    void noRecordMeansNoFocus() {
      mac.homeFiles.put(MacFocusChecker.ASSERTIONS, OFF);
      assertThat(check().status()).isEqualTo(ConstraintStatus.SATISFIED);
      mac.homeFiles.put(MacFocusChecker.ASSERTIONS, "{\"data\":[{}]}");
      assertThat(check().status()).isEqualTo(ConstraintStatus.SATISFIED);
      mac.homeFiles.put(MacFocusChecker.ASSERTIONS, "{\"data\":[]}");
      assertThat(check().status()).isEqualTo(ConstraintStatus.SATISFIED);
    }

    @Test
    void missingFullDiskAccessIsUnknownWithTheFixAndAMenuBarHint() {
      mac.homeFileErrors.put(
          MacFocusChecker.ASSERTIONS,
          new FileSystemException(
              "/Users/me/" + MacFocusChecker.ASSERTIONS, null, "Operation not permitted"));
      mac.commands.put(
          String.join(" ", MacFocusChecker.MENU_BAR_QUERIES.get(0)),
          CommandResult.exited(List.of("defaults"), 0, "1\n", ""));
      ConstraintResult r = check();
      assertThat(r.status()).isEqualTo(ConstraintStatus.UNKNOWN);
      assertThat(r.reason())
          .contains("Full Disk Access is missing")
          .contains("System Settings > Privacy & Security > Full Disk Access")
          .endsWith("the menu bar shows the Focus icon, which suggests a Focus is on");

      mac.homeFileErrors.put(
          MacFocusChecker.ASSERTIONS, new AccessDeniedException("/Users/me/Library"));
      mac.commands.clear();
      assertThat(check().reason())
          .contains("Full Disk Access is missing")
          .doesNotContain("menu bar");
    }

    @Test
    void missingOrGarbledFilesAreUnknown() {
      assertThat(check().reason()).startsWith("no Focus database at ~/Library/DoNotDisturb");
      mac.homeFiles.put(MacFocusChecker.ASSERTIONS, "{\"data\":");
      assertThat(check().reason()).startsWith("cannot parse ~/Library/DoNotDisturb");
      mac.homeFiles.put(MacFocusChecker.ASSERTIONS, "[1,2]");
      assertThat(check().status()).isEqualTo(ConstraintStatus.UNKNOWN);
      mac.homeFiles.put(MacFocusChecker.ASSERTIONS, "{\"data\":[{\"storeAssertionRecords\":7}]}");
      assertThat(check().status()).isEqualTo(ConstraintStatus.UNKNOWN);
    }
  }
}
