package dev.overnight.linux.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.core.process.CommandResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code respect_dnd}: Do Not Disturb as the desktop session reports it — GNOME's {@code
 * show-banners} setting, KDE's {@code Inhibited} notifications property — and {@code UNKNOWN}
 * everywhere else.
 *
 * <p>Only trusted when the session says which desktop it is ({@code XDG_CURRENT_DESKTOP}) and has a
 * session bus ({@code DBUS_SESSION_BUS_ADDRESS}): without a GNOME session, {@code gsettings} prints
 * the schema default and would report "off" on any machine.
 */
public final class DesktopDndChecker implements ConstraintChecker {
  static final Duration COMMAND_TIMEOUT = Duration.ofMillis(1500);
  static final List<String> GNOME =
      List.of("gsettings", "get", "org.gnome.desktop.notifications", "show-banners");
  static final List<String> KDE =
      List.of(
          "busctl",
          "--user",
          "get-property",
          "org.freedesktop.Notifications",
          "/org/freedesktop/Notifications",
          "org.freedesktop.Notifications",
          "Inhibited");

  private final LinuxHost host;

  /** Creates the checker. */
  public DesktopDndChecker(LinuxHost host) {
    this.host = host;
  }

  @Override
  public String name() {
    return "respect_dnd";
  }

  @Override
  public ConstraintResult check() {
    Optional<String> desktop = host.env("XDG_CURRENT_DESKTOP");
    if (desktop.isEmpty()) {
      return ConstraintResult.unknown(
          "no desktop session (XDG_CURRENT_DESKTOP is not set): Do Not Disturb cannot be read");
    }
    if (host.env("DBUS_SESSION_BUS_ADDRESS").isEmpty()) {
      return ConstraintResult.unknown(
          "no session bus (DBUS_SESSION_BUS_ADDRESS is not set) for desktop "
              + desktop.get()
              + ": Do Not Disturb cannot be read");
    }
    String d = desktop.get().toUpperCase(Locale.ROOT);
    if (d.contains("GNOME")) {
      return gnome();
    }
    if (d.contains("KDE")) {
      return kde();
    }
    return ConstraintResult.unknown(
        "desktop "
            + desktop.get()
            + " has no Do Not Disturb state Overnight can read (GNOME and KDE are supported)");
  }

  private ConstraintResult gnome() {
    CommandResult r = host.run(GNOME, COMMAND_TIMEOUT);
    if (!r.succeeded()) {
      return ConstraintResult.unknown(
          "cannot read GNOME's show-banners (gsettings: " + r.describe() + ")");
    }
    switch (r.firstLine()) {
      case "false":
        return ConstraintResult.unsatisfied("Do Not Disturb is on (GNOME show-banners is false)");
      case "true":
        return ConstraintResult.satisfied("Do Not Disturb is off (GNOME show-banners is true)");
      default:
        return ConstraintResult.unknown("unexpected gsettings answer: " + r.firstLine());
    }
  }

  private ConstraintResult kde() {
    CommandResult r = host.run(KDE, COMMAND_TIMEOUT);
    if (!r.succeeded()) {
      return ConstraintResult.unknown(
          "cannot read KDE's notification inhibition (busctl: " + r.describe() + ")");
    }
    switch (r.firstLine()) {
      case "b true":
        return ConstraintResult.unsatisfied("Do Not Disturb is on (KDE notifications inhibited)");
      case "b false":
        return ConstraintResult.satisfied(
            "Do Not Disturb is off (KDE notifications not inhibited)");
      default:
        return ConstraintResult.unknown("unexpected busctl answer: " + r.firstLine());
    }
  }
}
