package dev.overnight.core.schedule;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintSettings;

/** A provider for another platform: listed only by one test's own class loader. */
public final class UnsupportedDndProvider implements ConstraintCheckerProvider {
  @Override
  public String name() {
    return "respect_dnd";
  }

  @Override
  public boolean isSupported() {
    return false;
  }

  @Override
  public ConstraintChecker create(ConstraintSettings settings) {
    throw new AssertionError("never created on the wrong platform");
  }
}
