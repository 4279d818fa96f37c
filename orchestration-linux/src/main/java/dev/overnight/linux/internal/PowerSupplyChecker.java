package dev.overnight.linux.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code plugged_in} from {@code /sys/class/power_supply}, by systemd's {@code on_ac_power()}
 * rules: any non-battery supply online means AC; otherwise a system battery discharging means
 * battery; otherwise — no supply at all, as on desktops, servers and VMs — AC.
 *
 * <p>Peripheral batteries ({@code scope=Device}: mice, keyboards) and absent batteries are ignored;
 * a USB supply is ignored while a USB-C port reports being a power source, since the machine then
 * powers something rather than being powered.
 */
public final class PowerSupplyChecker implements ConstraintChecker {
  private static final String CLASS = "class/power_supply";

  private final LinuxHost host;

  /** Creates the checker over a host. */
  public PowerSupplyChecker(LinuxHost host) {
    this.host = host;
  }

  @Override
  public String name() {
    return "plugged_in";
  }

  @Override
  public ConstraintResult check() {
    List<String> supplies = host.sysList(CLASS);
    if (supplies.isEmpty()) {
      return ConstraintResult.satisfied(
          "no power supply in "
              + host.describeSys(CLASS)
              + ": a desktop, server or VM counts as on AC power");
    }
    List<String> online = new ArrayList<>();
    List<String> discharging = new ArrayList<>();
    List<String> batteries = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    boolean powerSink = isPowerSink();
    for (String supply : supplies) {
      String dir = CLASS + "/" + supply + "/";
      String type = host.sys(dir + "type").orElse("");
      if (type.equals("Battery")) {
        if (host.sys(dir + "scope").filter("Device"::equalsIgnoreCase).isPresent()) {
          ignored.add(supply + " (a device's battery)");
          continue;
        }
        if (host.sys(dir + "present").filter("0"::equals).isPresent()) {
          ignored.add(supply + " (not present)");
          continue;
        }
        String status = host.sys(dir + "status").orElse("Unknown");
        String battery =
            supply
                + " "
                + status.toLowerCase(java.util.Locale.ROOT)
                + capacity(dir).map(c -> ", " + c + "%").orElse("");
        batteries.add(battery);
        if (status.equals("Discharging")) {
          discharging.add(battery);
        }
        continue;
      }
      if (type.equals("USB") && !powerSink) {
        ignored.add(supply + " (USB-C port is a power source)");
        continue;
      }
      Optional<Integer> on = host.sys(dir + "online").flatMap(PowerSupplyChecker::integer);
      if (on.isPresent() && on.get() > 0) {
        online.add(supply + (type.isEmpty() ? "" : " " + type) + " online");
      }
    }
    String batteryNote = batteries.isEmpty() ? "" : "; battery " + String.join(", ", batteries);
    if (!online.isEmpty()) {
      return ConstraintResult.satisfied(
          "on AC power (" + String.join(", ", online) + batteryNote + ")");
    }
    if (!discharging.isEmpty()) {
      return ConstraintResult.unsatisfied("on battery (" + String.join(", ", discharging) + ")");
    }
    String seen = batteries.isEmpty() ? "" : " (battery " + String.join(", ", batteries) + ")";
    String skipped = ignored.isEmpty() ? "" : "; ignored " + String.join(", ", ignored);
    return ConstraintResult.satisfied(
        "no supply reports online and no battery is discharging"
            + seen
            + skipped
            + ": counts as on AC power");
  }

  private Optional<String> capacity(String dir) {
    return host.sys(dir + "capacity").flatMap(PowerSupplyChecker::integer).map(String::valueOf);
  }

  /** systemd's rule: a sink unless some USB-C port is a source and none is a sink. */
  private boolean isPowerSink() {
    boolean source = false;
    boolean sink = false;
    for (String port : host.sysList("class/typec")) {
      String role = host.sys("class/typec/" + port + "/power_role").orElse("");
      source |= role.contains("[source]");
      sink |= role.contains("[sink]");
    }
    return sink || !source;
  }

  private static Optional<Integer> integer(String text) {
    try {
      return Optional.of(Integer.parseInt(text.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
