package dev.overnight.testing.constraint;

import dev.overnight.api.config.Constraints;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.fakes.ScriptedCheckerProvider;
import java.util.List;
import java.util.Map;

/** The scripted checker of the fakes keeps the contract every constraint checker keeps. */
class ScriptedCheckerProviderCompatibilityTest extends ConstraintCheckerCompatibilityKit {

  private static ConstraintSettings settings(Object value) {
    return new ConstraintSettings(ScriptedCheckerProvider.NAME, value, Constraints.none());
  }

  private static ConstraintChecker answering(String status) {
    return new ScriptedCheckerProvider()
        .create(settings(Map.of("status", status, "reason", "scripted " + status)));
  }

  @Override
  protected ConstraintCheckerProvider provider() {
    return new ScriptedCheckerProvider();
  }

  /** As a config writes it under {@code constraints.checkers.scripted}. */
  @Override
  protected ConstraintSettings validSettings() {
    return settings(Map.of("status", "satisfied", "reason", "everyone is asleep"));
  }

  @Override
  protected List<InvalidSettings> invalidSettings() {
    return List.of(
        new InvalidSettings(
            settings(Map.of("status", "maybe")), "/constraints/checkers/scripted/status"));
  }

  @Override
  protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
    return Map.of(
        ConstraintStatus.SATISFIED, answering("satisfied"),
        ConstraintStatus.UNSATISFIED, answering("UNSATISFIED"),
        ConstraintStatus.UNKNOWN, answering("unknown"));
  }

  /** It reads no platform data; its settings are what can be garbled. */
  @Override
  protected List<ConstraintChecker> checkersOverBrokenData() {
    ScriptedCheckerProvider p = new ScriptedCheckerProvider();
    return List.of(
        p.create(settings(Boolean.TRUE)),
        p.create(settings(Map.of())),
        p.create(settings(Map.of("status", 5, "reason", List.of("not", "text")))),
        p.create(settings(Map.of("status", "unsatisfied", "reason", " "))));
  }

  /** The demo registers it on the runtime's builder; no service file lists it. */
  @Override
  protected boolean registeredForDiscovery() {
    return false;
  }
}
