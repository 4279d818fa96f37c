package dev.overnight.macos.internal;

import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.platform.CpuLimit;
import dev.overnight.core.platform.IdleRequirement;
import dev.overnight.core.platform.NetworkRequirement;
import dev.overnight.testing.constraint.ConstraintCheckerCompatibilityKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;

/**
 * Every macOS provider runs the compatibility kit over recorded values: the provider is wired to a
 * fake facade and told it is supported, so the whole contract runs on this Linux machine.
 */
class MacCompatibilityTest {
  static final Supplier<Optional<String>> SUPPORTED = Optional::empty;

  static ConstraintSettings settings(String name, Object value) {
    return new ConstraintSettings(name, value, Constraints.none());
  }

  static FakeMacSystem mac() {
    return new FakeMacSystem();
  }

  @Nested
  class PluggedIn extends ConstraintCheckerCompatibilityKit {
    @Override
    protected ConstraintCheckerProvider provider() {
      return new MacCheckerProvider.PluggedIn(FakeMacSystem::new, SUPPORTED);
    }

    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(new InvalidSettings(settings("plugged_in", 1), "/constraints/plugged_in"));
    }

    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      FakeMacSystem battery = mac();
      battery.power =
          new MacSystem.PowerSnapshot(
              Optional.of("Battery Power"),
              List.of(FakeMacSystem.internalBattery("Battery Power", 58, false)));
      FakeMacSystem odd = mac();
      odd.power =
          new MacSystem.PowerSnapshot(
              Optional.empty(), List.of(Map.of("Name", "X", "Power Source State", "Off Line")));
      return Map.of(
          ConstraintStatus.SATISFIED, new MacPowerChecker(mac()),
          ConstraintStatus.UNSATISFIED, new MacPowerChecker(battery),
          ConstraintStatus.UNKNOWN, new MacPowerChecker(odd));
    }

    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      FakeMacSystem garbled = mac();
      garbled.power =
          new MacSystem.PowerSnapshot(
              Optional.of(""),
              List.of(Map.of("Current Capacity", "lots", "Max Capacity", 0L, "Is Present", "yes")));
      FakeMacSystem failing = mac();
      failing.powerFailure = new ClassCastException("not a CFDictionary");
      return List.of(new MacPowerChecker(garbled), new MacPowerChecker(failing));
    }
  }

  @Nested
  class WifiOnly extends ConstraintCheckerCompatibilityKit {
    @Override
    protected ConstraintCheckerProvider provider() {
      return new MacCheckerProvider.WifiOnly(FakeMacSystem::new, SUPPORTED);
    }

    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(new InvalidSettings(settings("wifi_only", "wifi"), "/constraints/wifi_only"));
    }

    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      NetworkRequirement strict = new NetworkRequirement(false);
      return Map.of(
          ConstraintStatus.SATISFIED, new MacNetworkChecker(mac().primary("en0"), strict),
          ConstraintStatus.UNSATISFIED, new MacNetworkChecker(mac().primary("en5"), strict),
          ConstraintStatus.UNKNOWN, new MacNetworkChecker(mac().primary("utun2"), strict));
    }

    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      FakeMacSystem empty = mac();
      empty.network =
          new MacSystem.NetworkSnapshot(
              Optional.of(""), Map.of("", new MacSystem.InterfaceInfo("", "", "")));
      FakeMacSystem weird = mac();
      weird.network =
          new MacSystem.NetworkSnapshot(
              Optional.of("en0"),
              Map.of("en0", new MacSystem.InterfaceInfo("en0", "null", "null")));
      return List.of(
          new MacNetworkChecker(empty, new NetworkRequirement(true)),
          new MacNetworkChecker(weird, new NetworkRequirement(true)));
    }
  }

  @Nested
  class Cpu extends ConstraintCheckerCompatibilityKit {
    @Override
    protected ConstraintCheckerProvider provider() {
      return new MacCheckerProvider.Cpu(FakeMacSystem::new, SUPPORTED, Duration.ofMillis(10));
    }

    @Override
    protected ConstraintSettings validSettings() {
      return settings("cpu_max_percentage", 75);
    }

    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(
          new InvalidSettings(
              settings("cpu_max_percentage", -1), "/constraints/cpu_max_percentage"),
          new InvalidSettings(
              settings("cpu_max_percentage", "80%"), "/constraints/cpu_max_percentage"));
    }

    private ConstraintChecker sampling(long[] first, long[] second) {
      FakeMacSystem m = mac();
      m.ticks.add(first);
      m.ticks.add(second);
      return new MacCpuChecker(m, new CpuLimit(80), Duration.ofMillis(500));
    }

    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      long[] start = {100, 100, 100, 100};
      return Map.of(
          ConstraintStatus.SATISFIED, sampling(start, new long[] {110, 100, 190, 100}),
          ConstraintStatus.UNSATISFIED, sampling(start, new long[] {190, 105, 105, 100}),
          ConstraintStatus.UNKNOWN, sampling(start, start));
    }

    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      return List.of(
          sampling(new long[0], new long[0]),
          new MacCpuChecker(mac(), new CpuLimit(80), Duration.ZERO));
    }
  }

  @Nested
  class Idle extends ConstraintCheckerCompatibilityKit {
    @Override
    protected ConstraintCheckerProvider provider() {
      return new MacCheckerProvider.Idle(FakeMacSystem::new, SUPPORTED);
    }

    @Override
    protected List<InvalidSettings> invalidSettings() {
      Constraints zero =
          new Constraints(
              false,
              false,
              false,
              Optional.empty(),
              false,
              true,
              -3,
              UnknownPolicy.FAIL,
              Duration.ofSeconds(2),
              Duration.ofMinutes(1),
              Map.of());
      return List.of(
          new InvalidSettings(
              new ConstraintSettings("suspend_if_active", true, zero),
              "/constraints/idle_minutes"));
    }

    private ConstraintChecker idleFor(Duration d) {
      FakeMacSystem m = mac();
      m.hidIdle = OptionalLong.of(d.toNanos());
      return new MacIdleChecker(m, new IdleRequirement(Duration.ofMinutes(10)));
    }

    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      return Map.of(
          ConstraintStatus.SATISFIED, idleFor(Duration.ofHours(1)),
          ConstraintStatus.UNSATISFIED, idleFor(Duration.ofSeconds(5)),
          ConstraintStatus.UNKNOWN,
              new MacIdleChecker(mac(), new IdleRequirement(Duration.ofMinutes(10))));
    }

    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      FakeMacSystem negative = mac();
      negative.hidIdle = OptionalLong.of(-5);
      FakeMacSystem failing = mac();
      failing.hidFailure = new ClassCastException("CFData");
      return List.of(
          new MacIdleChecker(negative, new IdleRequirement(Duration.ofMinutes(10))),
          new MacIdleChecker(failing, new IdleRequirement(Duration.ofMinutes(10))));
    }
  }

  @Nested
  class DoNotDisturb extends ConstraintCheckerCompatibilityKit {
    @Override
    protected ConstraintCheckerProvider provider() {
      return new MacCheckerProvider.DoNotDisturb(FakeMacSystem::new, SUPPORTED);
    }

    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(
          new InvalidSettings(settings("respect_dnd", Map.of()), "/constraints/respect_dnd"));
    }

    private ConstraintChecker withAssertions(String json) {
      FakeMacSystem m = mac();
      m.homeFiles.put(MacFocusChecker.ASSERTIONS, json);
      return new MacFocusChecker(m);
    }

    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      return Map.of(
          ConstraintStatus.SATISFIED, withAssertions(MacCheckersTest.Focus.OFF),
          ConstraintStatus.UNSATISFIED, withAssertions(MacCheckersTest.Focus.ON),
          ConstraintStatus.UNKNOWN, new MacFocusChecker(mac()));
    }

    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      return List.of(
          withAssertions(""),
          withAssertions("null"),
          withAssertions("{\"data\":[{\"storeAssertionRecords\":[null]}]}"),
          withAssertions("{\"data\":[\"x\"]}"));
    }
  }
}
