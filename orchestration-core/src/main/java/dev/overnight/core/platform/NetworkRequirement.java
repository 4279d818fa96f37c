package dev.overnight.core.platform;

import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import java.util.Optional;

/**
 * The {@code wifi_only} rule: the primary interface must be Wi-Fi, or wired when {@code
 * allow_wired} says so.
 *
 * @param allowWired whether a wired primary interface is accepted too
 * @since 0.1.0
 */
public record NetworkRequirement(boolean allowWired) {

  /**
   * Reads {@code allow_wired} from the constraints section (or from the checker's own settings
   * object, when a plugin registry passes one).
   */
  public static NetworkRequirement from(ConstraintSettings settings) {
    if (settings.value() instanceof Boolean) {
      return new NetworkRequirement(settings.constraints().allowWired());
    }
    if (settings.value() instanceof java.util.Map<?, ?>) {
      Object allow = settings.get("allow_wired").orElse(settings.constraints().allowWired());
      if (!(allow instanceof Boolean b)) {
        throw CheckerSettings.invalid(
            settings,
            "allow_wired",
            "must be true or false, not " + CheckerSettings.describe(allow));
      }
      return new NetworkRequirement(b);
    }
    throw CheckerSettings.invalid(
        settings, "must be true or false, not " + CheckerSettings.describe(settings.value()));
  }

  /**
   * Judges the primary link: {@code primary interface en0 is Wi-Fi (type IEEE80211)}; empty means
   * there is no default route.
   */
  public ConstraintResult judge(Optional<PrimaryLink> primary) {
    if (primary.isEmpty()) {
      return ConstraintResult.unsatisfied("no default route: the machine is offline");
    }
    PrimaryLink link = primary.get();
    String head =
        "primary interface "
            + link.interfaceName()
            + " is "
            + link.kind().description()
            + " ("
            + link.evidence()
            + ")";
    switch (link.kind()) {
      case WIFI:
        return ConstraintResult.satisfied(head);
      case WIRED:
        return allowWired
            ? ConstraintResult.satisfied(head + ", accepted by allow_wired")
            : ConstraintResult.unsatisfied(head + ", not Wi-Fi; set allow_wired to accept it");
      case TUNNEL:
        return ConstraintResult.unknown(head + "; the link under the tunnel cannot be told");
      case CELLULAR:
      case TETHERED:
      case OTHER:
      default:
        return ConstraintResult.unsatisfied(head + ", not Wi-Fi");
    }
  }
}
