package dev.overnight.core.schedule;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;

/** Found through META-INF/services in the test class path, as a plugin's checker would be. */
public final class DiscoveredCheckerProvider implements ConstraintCheckerProvider {
  /** The name it serves. */
  public static final String NAME = "discovered_in_tests";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ConstraintChecker create(ConstraintSettings settings) {
    String mood = settings.string("mood").orElse("none");
    return new ConstraintChecker() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public ConstraintResult check() {
        return ConstraintResult.satisfied("discovered, mood " + mood);
      }
    };
  }
}
