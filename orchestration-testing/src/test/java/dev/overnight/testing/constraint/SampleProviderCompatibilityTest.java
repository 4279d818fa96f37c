package dev.overnight.testing.constraint;

import dev.overnight.api.config.Constraints;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import java.util.List;
import java.util.Map;

class SampleProviderCompatibilityTest extends ConstraintCheckerCompatibilityKit {

  @Override
  protected ConstraintCheckerProvider provider() {
    return new SampleProvider();
  }

  @Override
  protected List<InvalidSettings> invalidSettings() {
    return List.of(
        new InvalidSettings(
            new ConstraintSettings(SampleProvider.NAME, "yes", Constraints.none()),
            "/constraints/checkers/sample_flag"));
  }

  @Override
  protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
    return Map.of(
        ConstraintStatus.SATISFIED, SampleProvider.checker(() -> true),
        ConstraintStatus.UNSATISFIED, SampleProvider.checker(() -> false),
        ConstraintStatus.UNKNOWN, SampleProvider.checker(() -> null));
  }

  @Override
  protected List<ConstraintChecker> checkersOverBrokenData() {
    return List.of(
        SampleProvider.checker(
            () -> {
              throw new IllegalStateException("device gone");
            }));
  }
}
