package dev.overnight.linux.internal;

import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.platform.CpuLimit;
import dev.overnight.core.platform.IdleRequirement;
import dev.overnight.core.platform.NetworkRequirement;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.testing.constraint.ConstraintCheckerCompatibilityKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Linux provider runs the compatibility kit: its own checks against this machine, and each
 * status from a fake tree.
 */
class LinuxCompatibilityTest {
  static final boolean LINUX = OsFamily.current() == OsFamily.LINUX;

  static Constraints constraints(int idleMinutes) {
    return new Constraints(
        false,
        false,
        false,
        Optional.empty(),
        false,
        false,
        idleMinutes,
        UnknownPolicy.FAIL,
        Duration.ofSeconds(2),
        Duration.ofMinutes(1),
        Map.of());
  }

  static ConstraintSettings settings(String name, Object value) {
    return new ConstraintSettings(name, value, Constraints.none());
  }

  @Nested
  class PluggedIn extends ConstraintCheckerCompatibilityKit {
    @TempDir Path temp;

    @Override
    protected ConstraintCheckerProvider provider() {
      return new LinuxCheckerProvider.PluggedIn(SysfsLinuxHost::system, LINUX);
    }

    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(new InvalidSettings(settings("plugged_in", "yes"), "/constraints/plugged_in"));
    }

    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      FakeTree ac = new FakeTree(temp.resolve("ac"));
      FakeTree battery =
          new FakeTree(temp.resolve("bat"))
              .supply("BAT0", PowerSupplyCheckerTest.battery("Discharging", "58"));
      return Map.of(
          ConstraintStatus.SATISFIED, new PowerSupplyChecker(ac.host()),
          ConstraintStatus.UNSATISFIED, new PowerSupplyChecker(battery.host()));
    }

    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      FakeTree broken =
          new FakeTree(temp.resolve("broken"))
              .supply("BAT0", Map.of("type", "\u0000\u0001", "status", "", "capacity", "-"))
              .sys("class/power_supply/dangling", "not a folder");
      return List.of(new PowerSupplyChecker(broken.host()));
    }
  }

  @Nested
  class WifiOnly extends ConstraintCheckerCompatibilityKit {
    @TempDir Path temp;

    @Override
    protected ConstraintCheckerProvider provider() {
      return new LinuxCheckerProvider.WifiOnly(SysfsLinuxHost::system, LINUX);
    }

    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(
          new InvalidSettings(settings("wifi_only", 1), "/constraints/wifi_only"),
          new InvalidSettings(
              settings("wifi_only", Map.of("allow_wired", "sometimes")),
              "/constraints/wifi_only/allow_wired"));
    }

    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      String header = DefaultRouteCheckerTest.HEADER;
      FakeTree wifi =
          new FakeTree(temp.resolve("wifi"))
              .proc("net/route", header + "wlan0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\n")
              .sysDir("class/net/wlan0/wireless");
      FakeTree wired =
          new FakeTree(temp.resolve("wired"))
              .proc("net/route", DefaultRouteCheckerTest.ETH0_ROUTES)
              .sys("class/net/eth0/type", "1");
      FakeTree tunnel =
          new FakeTree(temp.resolve("tun"))
              .proc("net/route", header + "wg0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\n")
              .sys("class/net/wg0/uevent", "DEVTYPE=wireguard");
      NetworkRequirement strict = new NetworkRequirement(false);
      return Map.of(
          ConstraintStatus.SATISFIED, new DefaultRouteChecker(wifi.host(), strict),
          ConstraintStatus.UNSATISFIED, new DefaultRouteChecker(wired.host(), strict),
          ConstraintStatus.UNKNOWN, new DefaultRouteChecker(tunnel.host(), strict));
    }

    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      FakeTree broken =
          new FakeTree(temp.resolve("broken"))
              .proc("net/route", "\n\t\n00000000 00000000 zz zz zz zz zz zz\n")
              .proc("net/ipv6_route", "0 0 0");
      return List.of(
          new DefaultRouteChecker(broken.host(), new NetworkRequirement(true)),
          new DefaultRouteChecker(
              new FakeTree(temp.resolve("empty")).host(), new NetworkRequirement(true)));
    }
  }

  @Nested
  class Cpu extends ConstraintCheckerCompatibilityKit {
    @TempDir Path temp;

    @Override
    protected ConstraintCheckerProvider provider() {
      return new LinuxCheckerProvider.Cpu(SysfsLinuxHost::system, LINUX, Duration.ofMillis(100));
    }

    @Override
    protected ConstraintSettings validSettings() {
      return settings("cpu_max_percentage", 80.0);
    }

    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(
          new InvalidSettings(settings("cpu_max_percentage", 0), "/constraints/cpu_max_percentage"),
          new InvalidSettings(
              settings("cpu_max_percentage", 150), "/constraints/cpu_max_percentage"),
          new InvalidSettings(
              settings("cpu_max_percentage", true), "/constraints/cpu_max_percentage"));
    }

    private ConstraintChecker sampling(String name, String first, String second) {
      FakeTree tree = new FakeTree(temp.resolve(name)).proc("stat", first);
      SysfsLinuxHost host =
          tree.host(FakeTree.failingCommands(), Map.of(), d -> tree.proc("stat", second));
      return new ProcStatCpuChecker(host, new CpuLimit(80), Duration.ofMillis(500));
    }

    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      String idle = "cpu  100 0 0 100 0 0 0 0\n";
      return Map.of(
          ConstraintStatus.SATISFIED, sampling("low", idle, "cpu  110 0 0 190 0 0 0 0\n"),
          ConstraintStatus.UNSATISFIED, sampling("high", idle, "cpu  195 0 0 105 0 0 0 0\n"),
          ConstraintStatus.UNKNOWN, sampling("still", idle, idle));
    }

    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      return List.of(
          sampling("garbage", "cpu  x\n", "cpu \n"),
          sampling("overflow", "cpu  99999999999999999999999 0 0 0\n", "cpu 1 2 3 4\n"));
    }
  }

  @Nested
  class Idle extends ConstraintCheckerCompatibilityKit {
    @TempDir Path temp;

    @Override
    protected ConstraintCheckerProvider provider() {
      return new LinuxCheckerProvider.Idle(SysfsLinuxHost::system, LINUX);
    }

    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(
          new InvalidSettings(
              new ConstraintSettings("suspend_if_active", true, constraints(0)),
              "/constraints/idle_minutes"),
          new InvalidSettings(
              settings("suspend_if_active", "when idle"), "/constraints/suspend_if_active"));
    }

    private ConstraintChecker answering(String name, int exit, String out) {
      return new LogindIdleChecker(
          new FakeTree(temp.resolve(name))
              .host(
                  FakeTree.answering(SessionCheckersTest.BUSCTL_IDLE, exit, out, "no bus"),
                  Map.of(),
                  d -> {}),
          new IdleRequirement(Duration.ofMinutes(10)));
    }

    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      long longAgo = (FakeTree.NOW.getEpochSecond() - 3600) * 1_000_000L;
      return Map.of(
          ConstraintStatus.SATISFIED, answering("idle", 0, "b true\nt " + longAgo + "\n"),
          ConstraintStatus.UNSATISFIED, answering("active", 0, "b false\nt 0\n"),
          ConstraintStatus.UNKNOWN, answering("nobus", 1, ""));
    }

    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      return List.of(
          answering("garbage", 0, "\u0000\n"),
          answering("huge", 0, "b true\nt 99999999999999999999\n"),
          answering("future", 0, "b true\nt 18446744073709551615\n"));
    }
  }

  @Nested
  class DoNotDisturb extends ConstraintCheckerCompatibilityKit {
    @TempDir Path temp;

    @Override
    protected ConstraintCheckerProvider provider() {
      return new LinuxCheckerProvider.DoNotDisturb(SysfsLinuxHost::system, LINUX);
    }

    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(
          new InvalidSettings(settings("respect_dnd", List.of()), "/constraints/respect_dnd"));
    }

    private ConstraintChecker gnome(String name, String answer) {
      return new DesktopDndChecker(
          new FakeTree(temp.resolve(name))
              .host(
                  FakeTree.answering(SessionCheckersTest.GSETTINGS, 0, answer, ""),
                  SessionCheckersTest.GNOME_SESSION,
                  d -> {}));
    }

    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      return Map.of(
          ConstraintStatus.SATISFIED, gnome("off", "true\n"),
          ConstraintStatus.UNSATISFIED, gnome("on", "false\n"),
          ConstraintStatus.UNKNOWN,
              new DesktopDndChecker(new FakeTree(temp.resolve("none")).host()));
    }

    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      return List.of(gnome("garbage", "@as []\n"), gnome("empty", ""));
    }
  }
}
