package dev.overnight.api.schedule;

import java.util.Objects;
import java.util.Optional;

/**
 * The receipt of one due wake: whether it fired, was skipped or deferred, and why. Every {@link
 * CycleRecord} carries one, so the cycle history answers "did last night run, and if not, why"
 * without reading logs.
 *
 * @param verdict what became of the wake
 * @param reason why it did not fire, or fired and started nothing; empty only for {@link
 *     WakeVerdict#FIRED}
 * @param detail the specifics in words, e.g. the constraint and its reading ({@code "plugged_in: on
 *     battery (58%)"}); empty text when there are none
 * @since 0.1.0
 */
public record WakeReceipt(WakeVerdict verdict, Optional<WakeReason> reason, String detail) {

  /** Validates the components: a skip or a deferral always says why. */
  public WakeReceipt {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    if (verdict != WakeVerdict.FIRED && reason.isEmpty()) {
      throw new IllegalArgumentException("a " + verdict.key() + " wake needs a reason");
    }
  }

  /** A wake whose cycle ran and started work. */
  public static WakeReceipt fired() {
    return new WakeReceipt(WakeVerdict.FIRED, Optional.empty(), "");
  }

  /** A wake that came to nothing, and is not made up for. */
  public static WakeReceipt skipped(WakeReason reason, String detail) {
    return new WakeReceipt(WakeVerdict.SKIPPED, Optional.of(reason), detail);
  }

  /** A wake that did not run when due, and is made up for later. */
  public static WakeReceipt deferred(WakeReason reason, String detail) {
    return new WakeReceipt(WakeVerdict.DEFERRED, Optional.of(reason), detail);
  }

  /** Whether the wake fired. */
  public boolean isFired() {
    return verdict == WakeVerdict.FIRED;
  }

  /** The receipt in words: {@code "fired"}, {@code "skipped: night limit reached"}. */
  public String words() {
    return verdict.key() + reason.map(r -> ": " + r.words()).orElse("");
  }
}
