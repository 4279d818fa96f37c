package dev.overnight.fakes;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import java.util.List;
import java.util.Locale;

/**
 * A constraint checker that answers what its settings say, whatever the machine: the constraint
 * counterpart of the {@link ScriptedAgent}, for demonstrations and tests that need a constraint
 * gate without depending on the machine's power, network or idle state. Register it on the
 * runtime's builder (as {@code overnight demo} does) or in {@code META-INF/services}; a config then
 * names it {@code scripted}:
 *
 * <pre>{@code
 * "constraints": {"checkers": {"scripted": {"status": "satisfied", "reason": "everyone is asleep"}}}
 * }</pre>
 *
 * <p>{@code status} is {@code satisfied} (the default), {@code unsatisfied} or {@code unknown};
 * {@code reason} defaults to {@code "scripted"} (also when blank).
 *
 * @since 0.1.0
 */
public final class ScriptedCheckerProvider implements ConstraintCheckerProvider {
  /** The name a config uses. */
  public static final String NAME = "scripted";

  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public ScriptedCheckerProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ConstraintChecker create(ConstraintSettings settings) {
    String status = settings.string("status").orElse("satisfied").toLowerCase(Locale.ROOT);
    // Every result carries a reason a user can read: a blank one in the config is no reason.
    String reason = settings.string("reason").filter(r -> !r.isBlank()).orElse("scripted");
    ConstraintResult result =
        switch (status) {
          case "satisfied" -> ConstraintResult.satisfied(reason);
          case "unsatisfied" -> ConstraintResult.unsatisfied(reason);
          case "unknown" -> ConstraintResult.unknown(reason);
          default ->
              throw new ConfigException(
                  null,
                  List.of(
                      new ConfigProblem(
                          "/constraints/checkers/" + NAME + "/status",
                          "\""
                              + status
                              + "\" is not a status: use satisfied, unsatisfied or unknown")));
        };
    return new ConstraintChecker() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public ConstraintResult check() {
        return result;
      }
    };
  }
}
