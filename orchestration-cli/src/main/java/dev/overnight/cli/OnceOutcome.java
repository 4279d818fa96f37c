package dev.overnight.cli;

import dev.overnight.core.coordinator.AttemptOutcome;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.CoordinatorListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one cycle of {@code overnight once} achieved, read from the coordinator's events: whether
 * any task was completed, how the others ended, and whether no agent could take work. It decides
 * the command's exit code: a cycle in which work was attempted and none succeeded, or in which no
 * agent was available, is a failure, said in one readable line.
 *
 * <p>Thread-safe: events arrive on the coordinator's threads, and the verdict is read on the
 * command's thread once the cycle has returned.
 */
final class OnceOutcome implements CoordinatorListener {
  private final List<CoordinatorEvent.TaskEnded> ended = new ArrayList<>();
  private final List<String> noAgent = new ArrayList<>();

  @Override
  public synchronized void onEvent(CoordinatorEvent event) {
    if (event instanceof CoordinatorEvent.TaskEnded e) {
      ended.add(e);
    } else if (event instanceof CoordinatorEvent.NothingToDo n
        && n.reason().startsWith("no allowed agent is available")) {
      noAgent.add(n.reason());
    }
  }

  /** Why the cycle failed, when it did: empty when a task was completed or nothing was to do. */
  synchronized Optional<String> failure() {
    boolean completed = ended.stream().anyMatch(e -> e.outcome().completed());
    if (completed) {
      return Optional.empty();
    }
    List<CoordinatorEvent.TaskEnded> unsuccessful =
        ended.stream()
            .filter(
                e -> e.outcome() != AttemptOutcome.CANCELLED && e.outcome() != AttemptOutcome.LOST)
            .toList();
    if (!unsuccessful.isEmpty()) {
      CoordinatorEvent.TaskEnded last = unsuccessful.get(unsuccessful.size() - 1);
      int n = unsuccessful.size();
      String attempts = n == 1 ? "the only attempt" : "all " + n + " attempts";
      return Optional.of(
          "no task was completed: "
              + attempts
              + " ended without success; the last, of \""
              + last.task().title()
              + "\", "
              + last.outcome()
              + ": "
              + last.reason()
              + noAgent.stream().findFirst().map(r -> "; then " + r).orElse(""));
    }
    return noAgent.stream().findFirst();
  }
}
