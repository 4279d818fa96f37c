package dev.overnight.core.schedule;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import java.util.concurrent.atomic.AtomicInteger;

/** A checker whose answer a test sets, served under a name by its own provider. */
final class SwitchableChecker implements ConstraintChecker {
  private final String name;
  private volatile ConstraintResult answer;
  final AtomicInteger calls = new AtomicInteger();

  SwitchableChecker(String name, ConstraintResult answer) {
    this.name = name;
    this.answer = answer;
  }

  void answer(ConstraintResult value) {
    answer = value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ConstraintResult check() {
    calls.incrementAndGet();
    return answer;
  }

  ConstraintCheckerProvider provider() {
    SwitchableChecker self = this;
    return new ConstraintCheckerProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ConstraintChecker create(ConstraintSettings settings) {
        return self;
      }
    };
  }
}
