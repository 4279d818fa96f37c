package dev.overnight.macos.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code plugged_in} from IOKit's power sources. The providing source type decides ({@code AC
 * Power} is satisfied; {@code Battery Power} and {@code UPS Power} are not); every source is read
 * and shown in the reason. A Mac with no battery or UPS counts as on AC power: Apple reports {@code
 * AC Power} there, and with no report at all an empty source list means the same.
 */
public final class MacPowerChecker implements ConstraintChecker {
  private final MacSystem system;

  /** Creates the checker. */
  public MacPowerChecker(MacSystem system) {
    this.system = system;
  }

  @Override
  public String name() {
    return "plugged_in";
  }

  @Override
  public ConstraintResult check() {
    MacSystem.PowerSnapshot snapshot;
    try {
      snapshot = system.powerSources();
    } catch (RuntimeException | LinkageError e) {
      return ConstraintResult.unknown("cannot read the power sources: " + e);
    }
    List<String> sources = new ArrayList<>();
    List<String> states = new ArrayList<>();
    for (Map<String, Object> source : snapshot.sources()) {
      if (Boolean.FALSE.equals(source.get("Is Present"))) {
        continue;
      }
      sources.add(describe(source));
      if (source.get("Power Source State") instanceof String state) {
        states.add(state);
      }
    }
    String detail = sources.isEmpty() ? "" : " (" + String.join("; ", sources) + ")";
    Optional<String> providing = snapshot.providingType().filter(t -> !t.isBlank());
    if (providing.isPresent()) {
      switch (providing.get()) {
        case "AC Power":
          return sources.isEmpty()
              ? ConstraintResult.satisfied(
                  "on AC power (no battery or UPS: a desktop Mac counts as on AC power)")
              : ConstraintResult.satisfied("on AC power" + detail);
        case "Battery Power":
          return ConstraintResult.unsatisfied("on battery" + detail);
        case "UPS Power":
          return ConstraintResult.unsatisfied("on UPS power" + detail);
        default:
          // An unknown answer from a newer macOS: decide from the sources below.
          break;
      }
    }
    if (sources.isEmpty()) {
      return ConstraintResult.satisfied(
          "no battery or UPS found: a desktop Mac counts as on AC power");
    }
    if (states.contains("AC Power")) {
      return ConstraintResult.satisfied("on AC power" + detail);
    }
    if (states.contains("Battery Power")) {
      return ConstraintResult.unsatisfied("on battery" + detail);
    }
    return ConstraintResult.unknown(
        "no power source says where power comes from"
            + providing.map(p -> " (providing type \"" + p + "\")").orElse("")
            + detail);
  }

  /** {@code InternalBattery-0 58%, charging}. */
  static String describe(Map<String, Object> source) {
    StringBuilder out = new StringBuilder(String.valueOf(source.getOrDefault("Name", "?")));
    Object type = source.get("Type");
    if (type != null && !"InternalBattery".equals(type)) {
      out.append(" [").append(type).append(']');
    }
    percent(source).ifPresent(p -> out.append(' ').append(p).append('%'));
    if (Boolean.TRUE.equals(source.get("Is Charging"))) {
      out.append(", charging");
    } else if (Boolean.TRUE.equals(source.get("Is Charged"))) {
      out.append(", charged");
    }
    return out.toString();
  }

  private static Optional<Long> percent(Map<String, Object> source) {
    if (!(source.get("Current Capacity") instanceof Number current)) {
      return Optional.empty();
    }
    Object max = source.get("Max Capacity");
    if (max instanceof Number m && m.doubleValue() > 0) {
      return Optional.of(Math.round(100.0 * current.doubleValue() / m.doubleValue()));
    }
    return Optional.of(current.longValue());
  }
}
