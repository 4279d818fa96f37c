package dev.overnight.linux.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.core.platform.LinkKind;
import dev.overnight.core.platform.NetworkRequirement;
import dev.overnight.core.platform.PrimaryLink;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code wifi_only}: the interface of the default route (IPv4 from {@code /proc/net/route}, else
 * IPv6 from {@code /proc/net/ipv6_route}, lowest metric), classified from {@code
 * /sys/class/net/<if>}: a {@code wireless} or {@code phy80211} entry or {@code DEVTYPE=wlan} is
 * Wi-Fi.
 *
 * <p>Only the main routing table is visible in {@code /proc}; VPNs that route through policy tables
 * (WireGuard's {@code wg-quick}) leave the physical default route there, which is what we want.
 */
public final class DefaultRouteChecker implements ConstraintChecker {
  private static final int RTF_UP = 0x1;
  private static final int RTF_REJECT = 0x200;
  private static final int ARPHRD_ETHER = 1;
  private static final int ARPHRD_PPP = 512;
  private static final int ARPHRD_NONE = 65534;
  private static final Set<String> CELLULAR_DRIVERS =
      Set.of("qmi_wwan", "cdc_mbim", "option", "huawei_cdc_ncm", "sierra_net");
  private static final Set<String> PHONE_DRIVERS = Set.of("ipheth", "rndis_host");

  private final LinuxHost host;
  private final NetworkRequirement requirement;

  /** Creates the checker. */
  public DefaultRouteChecker(LinuxHost host, NetworkRequirement requirement) {
    this.host = host;
    this.requirement = requirement;
  }

  @Override
  public String name() {
    return "wifi_only";
  }

  @Override
  public ConstraintResult check() {
    Optional<String> v4 = host.proc("net/route");
    Optional<String> v6 = host.proc("net/ipv6_route");
    if (v4.isEmpty() && v6.isEmpty()) {
      return ConstraintResult.unknown(
          "cannot read "
              + host.describeProc("net/route")
              + " or "
              + host.describeProc("net/ipv6_route"));
    }
    Optional<String> iface =
        v4.flatMap(DefaultRouteChecker::ipv4Default)
            .or(() -> v6.flatMap(DefaultRouteChecker::ipv6Default));
    if (iface.isEmpty()) {
      return requirement.judge(Optional.empty());
    }
    String name = iface.get();
    if (!host.sysExists("class/net/" + name)) {
      return ConstraintResult.unknown(
          "the default route leaves by "
              + name
              + ", but "
              + host.describeSys("class/net/" + name)
              + " does not exist");
    }
    return requirement.judge(Optional.of(classify(name)));
  }

  /** The interface of the lowest-metric usable IPv4 default route. */
  static Optional<String> ipv4Default(String table) {
    return table
        .lines()
        .skip(1)
        .map(l -> l.trim().split("\\s+"))
        .filter(f -> f.length >= 8)
        .filter(f -> f[1].equals("00000000") && f[7].equals("00000000"))
        .filter(f -> usable(hex(f[3])))
        .min(Comparator.comparingLong(f -> hex(f[6])))
        .map(f -> f[0]);
  }

  /** The interface of the lowest-metric usable IPv6 default route ({@code ::/0}). */
  static Optional<String> ipv6Default(String table) {
    return table
        .lines()
        .map(l -> l.trim().split("\\s+"))
        .filter(f -> f.length >= 10)
        .filter(f -> f[0].chars().allMatch(c -> c == '0') && f[1].equals("00"))
        .filter(f -> usable(hex(f[8])) && !f[9].equals("lo"))
        .min(Comparator.comparingLong(f -> hex(f[5])))
        .map(f -> f[9]);
  }

  private static boolean usable(long flags) {
    return (flags & RTF_UP) != 0 && (flags & RTF_REJECT) == 0;
  }

  private static long hex(String text) {
    try {
      return Long.parseUnsignedLong(text, 16);
    } catch (NumberFormatException e) {
      // A garbled line must not win as "metric 0" nor count as up.
      return Long.MAX_VALUE;
    }
  }

  PrimaryLink classify(String name) {
    String dir = "class/net/" + name + "/";
    if (host.sysExists(dir + "wireless")) {
      return new PrimaryLink(name, LinkKind.WIFI, "has " + dir + "wireless");
    }
    if (host.sysExists(dir + "phy80211")) {
      return new PrimaryLink(name, LinkKind.WIFI, "has " + dir + "phy80211");
    }
    String devtype =
        host.sys(dir + "uevent").stream()
            .flatMap(String::lines)
            .filter(l -> l.startsWith("DEVTYPE="))
            .map(l -> l.substring("DEVTYPE=".length()).strip().toLowerCase(Locale.ROOT))
            .findFirst()
            .orElse("");
    Optional<String> driver = host.sysLinkName(dir + "device/driver");
    String type = host.sys(dir + "type").orElse("");
    if (devtype.equals("wlan")) {
      return new PrimaryLink(name, LinkKind.WIFI, "DEVTYPE=wlan");
    }
    if (devtype.equals("wwan")) {
      return new PrimaryLink(name, LinkKind.CELLULAR, "DEVTYPE=wwan");
    }
    if (driver.filter(CELLULAR_DRIVERS::contains).isPresent()) {
      return new PrimaryLink(name, LinkKind.CELLULAR, "driver " + driver.get());
    }
    if (driver.filter(PHONE_DRIVERS::contains).isPresent()) {
      return new PrimaryLink(name, LinkKind.TETHERED, "driver " + driver.get());
    }
    if (devtype.equals("wireguard")
        || host.sysExists(dir + "tun_flags")
        || type.equals(String.valueOf(ARPHRD_NONE))) {
      String evidence =
          devtype.equals("wireguard")
              ? "DEVTYPE=wireguard"
              : host.sysExists(dir + "tun_flags") ? "a tun/tap device" : "type " + type;
      return new PrimaryLink(name, LinkKind.TUNNEL, evidence);
    }
    if (type.equals(String.valueOf(ARPHRD_PPP))) {
      return new PrimaryLink(name, LinkKind.OTHER, "PPP, type " + type);
    }
    if (type.equals(String.valueOf(ARPHRD_ETHER))) {
      List<String> evidence =
          List.of(
                  "Ethernet, no wireless entry",
                  devtype.isEmpty() ? "" : "DEVTYPE=" + devtype,
                  driver.map(d -> "driver " + d).orElse(""))
              .stream()
              .filter(s -> !s.isEmpty())
              .collect(Collectors.toList());
      return new PrimaryLink(name, LinkKind.WIRED, String.join(", ", evidence));
    }
    return new PrimaryLink(name, LinkKind.OTHER, type.isEmpty() ? "unknown type" : "type " + type);
  }
}
