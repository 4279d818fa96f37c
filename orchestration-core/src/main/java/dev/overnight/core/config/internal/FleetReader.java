package dev.overnight.core.config.internal;

import dev.overnight.api.config.FleetSettings;
import dev.overnight.api.fleet.Labels;
import java.util.List;
import java.util.Optional;

/**
 * Reads the config's {@code fleet} section: the machine's name among the workers sharing a store,
 * and its labels (never a {@code worker:} one, which Overnight adds); every problem with its JSON
 * path.
 */
final class FleetReader {
  private final Problems problems;

  FleetReader(Problems problems) {
    this.problems = problems;
  }

  /** The fleet settings of {@code root}; none when it has none. */
  FleetSettings read(JsonObject root) {
    return root.object("fleet").map(this::fleet).orElse(FleetSettings.none());
  }

  private FleetSettings fleet(JsonObject f) {
    Optional<String> name = f.string("name");
    name.filter(String::isBlank)
        .ifPresent(n -> problems.add(f.pathOf("name"), "must not be empty"));
    List<String> labels = f.strings("labels");
    for (int i = 0; i < labels.size(); i++) {
      String label = labels.get(i);
      Optional<String> problem = Labels.problem(label);
      int index = i;
      problem.ifPresent(p -> problems.add(f.pathOf("labels") + "/" + index, p));
      if (problem.isEmpty() && label.startsWith(Labels.WORKER)) {
        problems.add(
            f.pathOf("labels") + "/" + i,
            "a \"worker:\" label is the worker's own id, added by Overnight: choose another label");
      }
    }
    f.finish();
    return new FleetSettings(name.filter(n -> !n.isBlank()), labels);
  }
}
