package dev.overnight.core.doctor.internal;

import dev.overnight.core.doctor.DoctorReport.Candidate;
import dev.overnight.core.platform.OsFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Describes every provider found for one concern, and why each one was or was not used, for the
 * {@code candidates} rows of the report. Stateless.
 */
public final class Candidates {
  private Candidates() {}

  /**
   * One candidate per provider, in the order given.
   *
   * @param providers every provider found
   * @param chosen the one used, if any (compared by identity)
   * @param order a provider's precedence; one that throws is shown with order 0
   * @param isSupported whether a provider works here; one that throws is shown unsupported, with
   *     what it threw
   */
  public static <P> List<Candidate> of(
      List<P> providers, Optional<P> chosen, ToIntFunction<P> order, Predicate<P> isSupported) {
    List<Candidate> out = new ArrayList<>();
    for (P p : providers) {
      String note;
      boolean supported;
      try {
        supported = isSupported.test(p);
        note = supported ? "" : "not supported on " + OsFamily.describeCurrent();
      } catch (RuntimeException | LinkageError e) {
        supported = false;
        note = "isSupported() threw " + e;
      }
      boolean selected = chosen.isPresent() && p == chosen.get();
      if (supported && !selected) {
        note = "supported, but another provider takes precedence";
      }
      int o;
      try {
        o = order.applyAsInt(p);
      } catch (RuntimeException e) {
        o = 0;
      }
      out.add(new Candidate(p.getClass().getName(), o, supported, selected, note));
    }
    return out;
  }
}
