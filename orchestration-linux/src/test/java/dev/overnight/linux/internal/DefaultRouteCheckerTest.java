package dev.overnight.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.platform.NetworkRequirement;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultRouteCheckerTest {
  static final String HEADER =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

  /** This build machine's table: default via eth0, plus its own subnet. */
  static final String ETH0_ROUTES =
      HEADER
          + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
          + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

  /** A laptop on Wi-Fi with a docked Ethernet of higher metric. */
  static final String WLAN_PREFERRED =
      HEADER
          + "enp0s31f6\t00000000\t0100A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
          + "wlp2s0\t00000000\t0100A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
          + "wlp2s0\t00000000\t0101A8C0\t0003\t0\t0\t20\t00000000\t0\t0\t0\n";

  /**
   * This build machine's IPv6 table: default via eth0, and the kernel's unreachable default on lo.
   */
  static final String IPV6_ROUTES =
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00"
          + " fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n"
          + "00000000000000000000000000000000 00 00000000000000000000000000000000 00"
          + " 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";

  @TempDir Path temp;

  private ConstraintResult check(FakeTree tree, boolean allowWired) {
    return new DefaultRouteChecker(tree.host(), new NetworkRequirement(allowWired)).check();
  }

  private FakeTree ethernet(FakeTree tree, String name) {
    return tree.sys("class/net/" + name + "/type", "1")
        .sys("class/net/" + name + "/uevent", "INTERFACE=" + name + "\nIFINDEX=4");
  }

  @Test
  void wiredEthernetIsNotWifiUnlessAllowed() {
    FakeTree tree = ethernet(new FakeTree(temp).proc("net/route", ETH0_ROUTES), "eth0");
    assertThat(check(tree, false))
        .isEqualTo(
            ConstraintResult.unsatisfied(
                "primary interface eth0 is wired (Ethernet, no wireless entry), not Wi-Fi; set"
                    + " allow_wired to accept it"));
    assertThat(check(tree, true).status()).isEqualTo(ConstraintStatus.SATISFIED);
  }

  @Test
  void wifiIsToldByTheWirelessEntryAndTheLowestMetricWins() {
    FakeTree tree =
        ethernet(new FakeTree(temp).proc("net/route", WLAN_PREFERRED), "enp0s31f6")
            .sys("class/net/wlp2s0/type", "1")
            .sysDir("class/net/wlp2s0/wireless");
    assertThat(check(tree, false).reason())
        .isEqualTo("primary interface wlp2s0 is Wi-Fi (has class/net/wlp2s0/wireless)");
  }

  @Test
  void wifiIsToldByDevtypeToo() {
    FakeTree tree =
        new FakeTree(temp)
            .proc(
                "net/route",
                HEADER + "wlan0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n")
            .sys("class/net/wlan0/type", "1")
            .sys("class/net/wlan0/uevent", "DEVTYPE=wlan\nINTERFACE=wlan0");
    assertThat(check(tree, false))
        .isEqualTo(ConstraintResult.satisfied("primary interface wlan0 is Wi-Fi (DEVTYPE=wlan)"));
  }

  @Test
  void ipv6DefaultIsUsedWhenThereIsNoIpv4DefaultAndRejectRoutesAreSkipped() {
    FakeTree tree =
        ethernet(
            new FakeTree(temp).proc("net/route", HEADER).proc("net/ipv6_route", IPV6_ROUTES),
            "eth0");
    assertThat(check(tree, false).reason()).startsWith("primary interface eth0 is wired");
    assertThat(DefaultRouteChecker.ipv6Default(IPV6_ROUTES)).contains("eth0");
  }

  @Test
  void noDefaultRouteMeansOffline() {
    FakeTree tree =
        new FakeTree(temp)
            .proc(
                "net/route",
                HEADER + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n")
            .proc("net/ipv6_route", IPV6_ROUTES.lines().skip(1).findFirst().orElseThrow() + "\n");
    assertThat(check(tree, true))
        .isEqualTo(ConstraintResult.unsatisfied("no default route: the machine is offline"));
  }

  @Test
  void aDownRouteDoesNotCount() {
    FakeTree tree =
        new FakeTree(temp)
            .proc(
                "net/route",
                HEADER + "wlan0\t00000000\t0100A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n");
    assertThat(check(tree, true).reason()).contains("offline");
  }

  @Test
  void aTunnelAsTheOnlyDefaultIsUnknown() {
    FakeTree tree =
        new FakeTree(temp)
            .proc(
                "net/route",
                HEADER + "tun0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n")
            .sys("class/net/tun0/type", "65534")
            .sys("class/net/tun0/tun_flags", "0x1001");
    ConstraintResult r = check(tree, true);
    assertThat(r.status()).isEqualTo(ConstraintStatus.UNKNOWN);
    assertThat(r.reason())
        .isEqualTo(
            "primary interface tun0 is a tunnel (VPN) (a tun/tap device); the link under the tunnel cannot be told");
  }

  @Test
  void aPhoneOverUsbIsTetheredEvenWithAllowWired() {
    FakeTree tree =
        ethernet(
                new FakeTree(temp)
                    .proc(
                        "net/route",
                        HEADER + "eth1\t00000000\t01140AAC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"),
                "eth1")
            .sysLink("class/net/eth1/device/driver", "../../../bus/usb/drivers/ipheth");
    assertThat(check(tree, true))
        .isEqualTo(
            ConstraintResult.unsatisfied(
                "primary interface eth1 is tethered to a phone (driver ipheth), not Wi-Fi"));
  }

  @Test
  void aModemIsCellular() {
    FakeTree tree =
        new FakeTree(temp)
            .proc(
                "net/route",
                HEADER + "wwan0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n")
            .sys("class/net/wwan0/type", "65534")
            .sys("class/net/wwan0/uevent", "DEVTYPE=wwan");
    assertThat(check(tree, true).reason())
        .startsWith("primary interface wwan0 is cellular (DEVTYPE=wwan)");
  }

  @Test
  void aRouteToAnInterfaceMissingFromSysIsUnknown() {
    FakeTree tree = new FakeTree(temp).proc("net/route", ETH0_ROUTES);
    ConstraintResult r = check(tree, true);
    assertThat(r.status()).isEqualTo(ConstraintStatus.UNKNOWN);
    assertThat(r.reason()).startsWith("the default route leaves by eth0, but ");
  }

  @Test
  void unreadableRouteTablesAreUnknownAndGarbageIsNoRoute() {
    assertThat(check(new FakeTree(temp), true).status()).isEqualTo(ConstraintStatus.UNKNOWN);
    FakeTree garbage =
        new FakeTree(temp).proc("net/route", "%%%\n\n  \nx y z\n").proc("net/ipv6_route", "zz");
    assertThat(check(garbage, true).reason()).contains("offline");
  }
}
