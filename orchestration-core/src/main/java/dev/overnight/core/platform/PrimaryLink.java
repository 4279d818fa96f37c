package dev.overnight.core.platform;

import java.util.Objects;

/**
 * The network interface traffic leaves by (the one holding the default route), and what it is.
 *
 * @param interfaceName e.g. {@code en0}, {@code wlan0}
 * @param kind what kind of link it is
 * @param evidence how the kind was told, e.g. {@code DEVTYPE=wlan} or {@code type IEEE80211}
 * @since 0.1.0
 */
public record PrimaryLink(String interfaceName, LinkKind kind, String evidence) {

  /** Validates the components. */
  public PrimaryLink {
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(evidence, "evidence");
  }
}
