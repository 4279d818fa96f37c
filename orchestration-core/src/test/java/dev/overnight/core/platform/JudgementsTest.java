package dev.overnight.core.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JudgementsTest {

  static Constraints constraints(boolean allowWired, int idleMinutes) {
    return new Constraints(
        false,
        true,
        allowWired,
        Optional.of(80.0),
        false,
        true,
        idleMinutes,
        UnknownPolicy.FAIL,
        Duration.ofSeconds(2),
        Duration.ofMinutes(1),
        Map.of());
  }

  @Test
  void cpuLimitSaysWhyWithTheMeasuredAndTheLimit() {
    CpuLimit limit = new CpuLimit(80);
    Duration w = Duration.ofMillis(500);
    assertThat(limit.judge(91.2, w))
        .isEqualTo(ConstraintResult.unsatisfied("CPU 91% > 80% (over 500 ms)"));
    assertThat(limit.judge(12, w))
        .isEqualTo(ConstraintResult.satisfied("CPU 12% ≤ 80% (over 500 ms)"));
    assertThat(limit.judge(80.3, w).reason()).startsWith("CPU 80.3% > 80%");
    assertThat(limit.judge(80, w).isSatisfied()).isTrue();
    assertThat(new CpuLimit(72.5).judge(70, w).reason()).startsWith("CPU 70% ≤ 72.5%");
  }

  @Test
  void cpuLimitRejectsSettingsOutsideZeroToHundredNamingThePath() {
    for (Object bad : new Object[] {0, -5, 101, "80", true}) {
      ConstraintSettings s = new ConstraintSettings("cpu_max_percentage", bad, Constraints.none());
      assertThatThrownBy(() -> CpuLimit.from(s))
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.problems().get(0).path())
                      .isEqualTo("/constraints/cpu_max_percentage"));
    }
    assertThat(CpuLimit.from(new ConstraintSettings("cpu_max_percentage", 100, Constraints.none())))
        .isEqualTo(new CpuLimit(100));
  }

  @Test
  void cpuTicksHandleThirtyTwoBitWrap() {
    CpuTicks before = new CpuTicks(0xFFFF_FF00L, 0xFFFF_FF00L);
    CpuTicks after = new CpuTicks(0x0000_0100L, 0x0000_0000L);
    // busy moved 0x200 ticks, idle 0x100 ticks across the wrap.
    assertThat(after.busyPercentSince(before, 32))
        .isCloseTo(66.67, org.assertj.core.data.Offset.offset(0.01));
    assertThat(CpuTicks.delta(10, 4, 64)).isEqualTo(-6);
    assertThat(new CpuTicks(5, 5).busyPercentSince(new CpuTicks(5, 5), 32)).isNaN();
  }

  @Test
  void idleRequirementWordsMinutesAndSeconds() {
    IdleRequirement r = new IdleRequirement(Duration.ofMinutes(15));
    assertThat(r.judge(Duration.ofSeconds(200), "HIDIdleTime"))
        .isEqualTo(
            ConstraintResult.unsatisfied(
                "idle 3 min 20 s < 15 min (HIDIdleTime): the user is active"));
    assertThat(r.judge(Duration.ofMinutes(22), "logind").reason())
        .isEqualTo("idle 22 min ≥ 15 min (logind)");
    assertThat(r.judge(Duration.ofSeconds(40), "x").reason()).startsWith("idle 40 s < 15 min");
    assertThat(r.judge(Duration.ofMinutes(125), "x").reason()).startsWith("idle 2 h 5 min ≥");
  }

  @Test
  void idleRequirementReadsAndValidatesIdleMinutes() {
    assertThat(
            IdleRequirement.from(
                new ConstraintSettings("suspend_if_active", true, constraints(false, 15))))
        .isEqualTo(new IdleRequirement(Duration.ofMinutes(15)));
    assertThatThrownBy(
            () ->
                IdleRequirement.from(
                    new ConstraintSettings("suspend_if_active", true, constraints(false, 0))))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.problems().get(0).path()).isEqualTo("/constraints/idle_minutes"));
  }

  @Test
  void networkRequirementAcceptsWiredOnlyWhenAllowed() {
    PrimaryLink eth = new PrimaryLink("eth0", LinkKind.WIRED, "type 1, no wireless");
    PrimaryLink wifi = new PrimaryLink("en0", LinkKind.WIFI, "type IEEE80211");
    PrimaryLink vpn = new PrimaryLink("utun3", LinkKind.TUNNEL, "no interface of that name");
    NetworkRequirement strict = new NetworkRequirement(false);
    NetworkRequirement lenient = new NetworkRequirement(true);
    assertThat(strict.judge(Optional.of(wifi)))
        .isEqualTo(ConstraintResult.satisfied("primary interface en0 is Wi-Fi (type IEEE80211)"));
    assertThat(strict.judge(Optional.of(eth)).reason())
        .isEqualTo(
            "primary interface eth0 is wired (type 1, no wireless), not Wi-Fi; set allow_wired"
                + " to accept it");
    assertThat(lenient.judge(Optional.of(eth)).status()).isEqualTo(ConstraintStatus.SATISFIED);
    assertThat(strict.judge(Optional.of(vpn)).status()).isEqualTo(ConstraintStatus.UNKNOWN);
    assertThat(strict.judge(Optional.empty()).reason()).contains("offline");
  }

  @Test
  void networkRequirementTakesAllowWiredFromTheConstraintsOrAnObject() {
    assertThat(
            NetworkRequirement.from(
                new ConstraintSettings("wifi_only", true, constraints(true, 10))))
        .isEqualTo(new NetworkRequirement(true));
    assertThat(
            NetworkRequirement.from(
                new ConstraintSettings(
                    "wifi_only", Map.of("allow_wired", false), constraints(true, 10))))
        .isEqualTo(new NetworkRequirement(false));
    assertThatThrownBy(
            () ->
                NetworkRequirement.from(
                    new ConstraintSettings(
                        "wifi_only", Map.of("allow_wired", "yes"), Constraints.none())))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems().get(0).path())
                    .isEqualTo("/constraints/wifi_only/allow_wired"));
  }

  @Test
  void settingsPathsDistinguishBuiltInsFromPlugins() {
    assertThat(CheckerSettings.path("plugged_in")).isEqualTo("/constraints/plugged_in");
    assertThat(CheckerSettings.path("host/reachable~x"))
        .isEqualTo("/constraints/checkers/host~1reachable~0x");
    assertThatThrownBy(
            () ->
                CheckerSettings.requireFlag(
                    new ConstraintSettings("plugged_in", "yes", Constraints.none())))
        .hasMessageContaining("/constraints/plugged_in: must be true or false, not \"yes\"");
  }

  @Test
  void osFamilyFromOsName() {
    assertThat(OsFamily.of("Mac OS X")).isEqualTo(OsFamily.MACOS);
    assertThat(OsFamily.of("Linux")).isEqualTo(OsFamily.LINUX);
    assertThat(OsFamily.of("Windows 11")).isEqualTo(OsFamily.WINDOWS);
    assertThat(OsFamily.of("FreeBSD")).isEqualTo(OsFamily.OTHER);
  }

  @Test
  void jsonValuesParseToPlainJava() {
    assertThat(JsonValues.parse("{\"a\":[1,true,\"x\",null]}"))
        .isEqualTo(Map.of("a", java.util.Arrays.asList(1, true, "x", null)));
    assertThatThrownBy(() -> JsonValues.parse("{nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid JSON");
  }
}
