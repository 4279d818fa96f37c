package dev.overnight.testing.constraint;

import dev.overnight.api.config.Constraints;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import java.util.List;
import java.util.Map;

/**
 * Kit subclasses over providers that break one rule each; {@link KitCatchesBrokenProvidersTest}
 * runs them and expects exactly the matching kit test to fail. Not run directly (nested classes).
 */
final class BrokenProviders {
  private BrokenProviders() {}

  static ConstraintChecker answering(String name, ConstraintResult result) {
    return new ConstraintChecker() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ConstraintResult check() {
        return result;
      }
    };
  }

  /** A valid baseline: each broken kit overrides one part of it. */
  abstract static class Baseline extends ConstraintCheckerCompatibilityKit {
    @Override
    protected ConstraintCheckerProvider provider() {
      return new SampleProvider();
    }

    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(
          new InvalidSettings(
              new ConstraintSettings(SampleProvider.NAME, 3, Constraints.none()),
              "/constraints/checkers/sample_flag"));
    }

    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      return Map.of(ConstraintStatus.SATISFIED, SampleProvider.checker(() -> true));
    }

    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      return List.of(SampleProvider.checker(() -> null));
    }

    @Override
    protected boolean registeredForDiscovery() {
      return false;
    }
  }

  /** Reports an empty reason. */
  static class EmptyReason extends Baseline {
    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      return Map.of(
          ConstraintStatus.UNSATISFIED,
          answering(SampleProvider.NAME, ConstraintResult.unsatisfied(" ")));
    }
  }

  /** Throws over broken data. */
  static class ThrowsOnBrokenData extends Baseline {
    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      return List.of(
          new ConstraintChecker() {
            @Override
            public String name() {
              return SampleProvider.NAME;
            }

            @Override
            public ConstraintResult check() {
              throw new NumberFormatException("For input string: \"\"");
            }
          });
    }
  }

  /** Returns null. */
  static class ReturnsNull extends Baseline {
    @Override
    protected List<ConstraintChecker> checkersOverBrokenData() {
      return List.of(answering(SampleProvider.NAME, null));
    }
  }

  /** Names its rejection at the wrong path. */
  static class WrongPath extends Baseline {
    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(
          new InvalidSettings(
              new ConstraintSettings(SampleProvider.NAME, 3, Constraints.none()),
              "/constraints/sample_flag"));
    }
  }

  /** Accepts what it should reject. */
  static class AcceptsBadSettings extends Baseline {
    @Override
    protected List<InvalidSettings> invalidSettings() {
      return List.of(
          new InvalidSettings(
              new ConstraintSettings(SampleProvider.NAME, true, Constraints.none()),
              "/constraints/checkers/sample_flag"));
    }
  }

  /** Creates a checker under another name. */
  static class MisnamedChecker extends Baseline {
    @Override
    protected ConstraintCheckerProvider provider() {
      return new SampleProvider() {
        @Override
        public ConstraintChecker create(ConstraintSettings settings) {
          dev.overnight.core.platform.CheckerSettings.requireFlag(settings);
          return answering("other_name", ConstraintResult.satisfied("fine"));
        }
      };
    }
  }

  /** Gives a status other than the one its scenario claims. */
  static class WrongStatus extends Baseline {
    @Override
    protected Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus() {
      return Map.of(ConstraintStatus.UNKNOWN, SampleProvider.checker(() -> true));
    }
  }

  /** Throws from isSupported(). */
  static class SupportCheckThrows extends Baseline {
    @Override
    protected ConstraintCheckerProvider provider() {
      return new SampleProvider() {
        @Override
        public boolean isSupported() {
          throw new UnsatisfiedLinkError("no IOKit");
        }
      };
    }
  }

  /** Claims discovery but is not in META-INF/services. */
  static class NotRegistered extends Baseline {
    @Override
    protected ConstraintCheckerProvider provider() {
      return new SampleProvider() {};
    }

    @Override
    protected boolean registeredForDiscovery() {
      return true;
    }
  }
}
