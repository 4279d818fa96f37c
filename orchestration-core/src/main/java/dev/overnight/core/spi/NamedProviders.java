package dev.overnight.core.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the provider for a name among explicitly registered and discovered ones, by one rule.
 *
 * <ol>
 *   <li>An explicitly registered provider of that name wins (the last registered, if several).
 *   <li>Otherwise, among discovered providers of that name that are supported here: none → empty;
 *       one → it; several → the lowest order, ties broken by class name, with a WARN listing them
 *       all so the choice is never silent.
 * </ol>
 *
 * <p>A provider is never used just because it is on the class path: only names the config asks for
 * are selected. Immutable and thread-safe.
 *
 * @param <P> the provider type
 * @since 0.1.0
 */
public final class NamedProviders<P> {
  private static final Logger LOG = LoggerFactory.getLogger(NamedProviders.class);

  private final String kind;
  private final List<P> explicit;
  private final List<P> discovered;
  private final Function<P, String> name;
  private final ToIntFunction<P> order;
  private final Predicate<P> supported;

  /**
   * Creates the chooser.
   *
   * @param kind what the providers are, for log lines (e.g. {@code "constraint checker"})
   * @param explicit providers registered on a builder, in registration order
   * @param discovered providers found by a {@link ProviderLoader}
   * @param name a provider's name
   * @param order a provider's precedence, lower wins
   * @param supported whether a provider works here; must not throw
   */
  public NamedProviders(
      String kind,
      List<P> explicit,
      List<P> discovered,
      Function<P, String> name,
      ToIntFunction<P> order,
      Predicate<P> supported) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.explicit = List.copyOf(explicit);
    this.discovered = List.copyOf(discovered);
    this.name = Objects.requireNonNull(name, "name");
    this.order = Objects.requireNonNull(order, "order");
    this.supported = Objects.requireNonNull(supported, "supported");
  }

  /** The provider for {@code wanted}, by the rule above. */
  public Optional<P> select(String wanted) {
    for (int i = explicit.size() - 1; i >= 0; i--) {
      if (wanted.equals(name.apply(explicit.get(i)))) {
        return Optional.of(explicit.get(i));
      }
    }
    List<P> candidates =
        discovered.stream()
            .filter(p -> wanted.equals(name.apply(p)))
            .filter(this::isSupported)
            .sorted(Comparator.comparingInt(order).thenComparing(p -> p.getClass().getName()))
            .collect(Collectors.toList());
    if (candidates.size() > 1) {
      LOG.warn(
          "Several {} providers serve '{}': {}; using {}. Register one explicitly to choose.",
          kind,
          wanted,
          candidates.stream().map(p -> p.getClass().getName()).collect(Collectors.joining(", ")),
          candidates.get(0).getClass().getName());
    }
    return candidates.stream().findFirst();
  }

  /** Whether some discovered provider serves {@code wanted} but none is supported here. */
  public boolean onlyUnsupported(String wanted) {
    return explicit.stream().noneMatch(p -> wanted.equals(name.apply(p)))
        && discovered.stream().anyMatch(p -> wanted.equals(name.apply(p)))
        && discovered.stream()
            .filter(p -> wanted.equals(name.apply(p)))
            .noneMatch(this::isSupported);
  }

  /** Every name some provider serves, explicit first, in order. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    explicit.forEach(p -> names.add(name.apply(p)));
    discovered.forEach(p -> names.add(name.apply(p)));
    return names;
  }

  /** Every provider, explicit first: for diagnostics such as {@code overnight doctor}. */
  public List<P> all() {
    List<P> all = new ArrayList<>(explicit);
    all.addAll(discovered);
    return all;
  }

  private boolean isSupported(P p) {
    try {
      return supported.test(p);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn(
          "{} provider {} failed its support check: {}",
          kind,
          p.getClass().getName(),
          e.toString());
      return false;
    }
  }
}
