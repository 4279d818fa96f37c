package dev.overnight.core.platform;

/**
 * What kind of link a network interface is, as far as the platform can tell.
 *
 * @since 0.1.0
 */
public enum LinkKind {
  /** IEEE 802.11 wireless. */
  WIFI("Wi-Fi"),
  /** Ethernet or another wired link (including virtual Ethernet in VMs and containers). */
  WIRED("wired"),
  /** A mobile broadband modem. */
  CELLULAR("cellular"),
  /** A phone shared over USB or Bluetooth: usually metered. */
  TETHERED("tethered to a phone"),
  /** A tunnel (VPN); the link under it is not visible from here. */
  TUNNEL("a tunnel (VPN)"),
  /** Anything else. */
  OTHER("not Wi-Fi");

  private final String description;

  LinkKind(String description) {
    this.description = description;
  }

  /** How the kind reads in a reason: {@code Wi-Fi}, {@code wired}, {@code a tunnel (VPN)}. */
  public String description() {
    return description;
  }
}
