package dev.overnight.api.config;

import dev.overnight.api.fleet.Labels;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * This machine as a worker of a fleet (several machines sharing one store): the name it is shown
 * under and the labels it carries beyond those found by itself ({@code os:}, {@code agent:}, {@code
 * repo:}, {@code worker:}). A task that requires labels is claimed only by a worker carrying them
 * all.
 *
 * <p>Immutable.
 *
 * @param name the name shown in {@code overnight fleet status} and the dashboard, and accepted by
 *     {@code overnight enqueue --on}; empty for the host name
 * @param labels the user's own labels, e.g. {@code gpu} or {@code site:office} (see {@link Labels})
 * @since 0.1.0
 */
public record FleetSettings(Optional<String> name, List<String> labels) {

  /** Checks presence and copies. */
  public FleetSettings {
    Objects.requireNonNull(name, "name");
    labels = List.copyOf(labels);
  }

  /** No name and no labels of its own: the default. */
  public static FleetSettings none() {
    return new FleetSettings(Optional.empty(), List.of());
  }
}
