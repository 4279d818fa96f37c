package dev.overnight.testing.constraint;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.core.platform.CheckerSettings;
import java.util.function.Supplier;

/** A well-behaved provider: a flag read from a supplier, which may fail. */
public class SampleProvider implements ConstraintCheckerProvider {
  static final String NAME = "sample_flag";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ConstraintChecker create(ConstraintSettings settings) {
    CheckerSettings.requireFlag(settings);
    return checker(() -> Boolean.TRUE);
  }

  static ConstraintChecker checker(Supplier<Boolean> flag) {
    return new ConstraintChecker() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public ConstraintResult check() {
        Boolean value;
        try {
          value = flag.get();
        } catch (RuntimeException e) {
          return ConstraintResult.unknown("cannot read the flag: " + e.getMessage());
        }
        if (value == null) {
          return ConstraintResult.unknown("the flag is not set");
        }
        return value
            ? ConstraintResult.satisfied("the flag is up")
            : ConstraintResult.unsatisfied("the flag is down");
      }
    };
  }
}
