package dev.overnight.macos.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.core.platform.LinkKind;
import dev.overnight.core.platform.NetworkRequirement;
import dev.overnight.core.platform.PrimaryLink;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code wifi_only} from SystemConfiguration: the dynamic store's primary interface, and its type
 * among the interfaces SystemConfiguration lists ({@code IEEE80211} is Wi-Fi). An Ethernet
 * interface that is really a phone ({@code iPhone USB}, {@code Bluetooth PAN}) counts as tethered;
 * a primary interface not listed at all ({@code utun}, {@code ipsec}) is a VPN tunnel.
 */
public final class MacNetworkChecker implements ConstraintChecker {
  private final MacSystem system;
  private final NetworkRequirement requirement;

  /** Creates the checker. */
  public MacNetworkChecker(MacSystem system, NetworkRequirement requirement) {
    this.system = system;
    this.requirement = requirement;
  }

  @Override
  public String name() {
    return "wifi_only";
  }

  @Override
  public ConstraintResult check() {
    MacSystem.NetworkSnapshot snapshot;
    try {
      snapshot = system.network();
    } catch (RuntimeException | LinkageError e) {
      return ConstraintResult.unknown("cannot read the network state: " + e);
    }
    Optional<String> primary = snapshot.primaryInterface().filter(p -> !p.isBlank());
    if (primary.isEmpty()) {
      return requirement.judge(Optional.empty());
    }
    String name = primary.get();
    MacSystem.InterfaceInfo info = snapshot.interfaces().get(name);
    if (info == null) {
      if (name.startsWith("utun") || name.startsWith("ipsec") || name.startsWith("ppp")) {
        return requirement.judge(
            Optional.of(
                new PrimaryLink(name, LinkKind.TUNNEL, "not a network service of its own")));
      }
      return ConstraintResult.unknown(
          "primary interface " + name + " is not among the interfaces SystemConfiguration lists");
    }
    return requirement.judge(Optional.of(classify(info)));
  }

  static PrimaryLink classify(MacSystem.InterfaceInfo info) {
    String type = info.type();
    String display = info.displayName();
    String evidence = "type " + type + ", \"" + display + "\"";
    String lower = display.toLowerCase(Locale.ROOT);
    switch (type) {
      case "IEEE80211":
        return new PrimaryLink(info.bsdName(), LinkKind.WIFI, evidence);
      case "Ethernet":
        if (lower.contains("iphone") || lower.contains("ipad") || lower.contains("bluetooth pan")) {
          return new PrimaryLink(info.bsdName(), LinkKind.TETHERED, evidence);
        }
        return new PrimaryLink(info.bsdName(), LinkKind.WIRED, evidence);
      case "WWAN":
        return new PrimaryLink(info.bsdName(), LinkKind.CELLULAR, evidence);
      case "Bluetooth":
        return new PrimaryLink(info.bsdName(), LinkKind.TETHERED, evidence);
      case "IPSec":
      case "L2TP":
      case "PPTP":
      case "VPN":
        return new PrimaryLink(info.bsdName(), LinkKind.TUNNEL, evidence);
      default:
        return new PrimaryLink(info.bsdName(), LinkKind.OTHER, evidence);
    }
  }
}
