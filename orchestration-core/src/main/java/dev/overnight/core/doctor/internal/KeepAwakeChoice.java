package dev.overnight.core.doctor.internal;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.core.spi.Discovery;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which keep-awake Overnight would use, and what else was found: the keep-awake given explicitly,
 * else the provider chosen among those found, else none (and the no-op keep-awake is used).
 *
 * <p>{@link KeepAwakeCheck} examines whatever choice it is given and makes none itself, so the rule
 * that makes the choice lives in one place, {@link Discovery}. Immutable.
 *
 * @param explicit the keep-awake registered explicitly; it overrides every provider
 * @param found every keep-awake provider found, in the order they were found
 * @param chosen the provider Overnight would create its keep-awake from; one of {@code found}, and
 *     empty when {@code explicit} is present
 */
public record KeepAwakeChoice(
    Optional<KeepAwake> explicit,
    List<KeepAwakeProvider> found,
    Optional<KeepAwakeProvider> chosen) {

  /**
   * Validates the choice and copies the list.
   *
   * @throws IllegalArgumentException when a provider is chosen beside an explicit keep-awake, or
   *     the chosen provider is not among those found
   */
  public KeepAwakeChoice {
    Objects.requireNonNull(explicit, "explicit");
    found = List.copyOf(found);
    Objects.requireNonNull(chosen, "chosen");
    if (explicit.isPresent() && chosen.isPresent()) {
      throw new IllegalArgumentException(
          "an explicit keep-awake overrides every provider, yet "
              + chosen.get().getClass().getName()
              + " was chosen too");
    }
    if (chosen.isPresent() && found.stream().noneMatch(p -> p == chosen.get())) {
      throw new IllegalArgumentException(
          "the chosen keep-awake provider "
              + chosen.get().getClass().getName()
              + " is not among those found");
    }
  }

  /**
   * The choice as a runtime makes it: the explicit keep-awake when there is one; otherwise {@link
   * Discovery#chooseKeepAwake}'s.
   */
  public static KeepAwakeChoice among(Optional<KeepAwake> explicit, List<KeepAwakeProvider> found) {
    if (explicit.isPresent()) {
      return new KeepAwakeChoice(explicit, found, Optional.empty());
    }
    return new KeepAwakeChoice(explicit, found, Discovery.chooseKeepAwake(found));
  }
}
