package dev.overnight.core.fleet;

import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finds the worker a person means by a name or an id ("start this on the Mac mini"): an exact id
 * first, else the one worker of that name. Stateless.
 *
 * @since 0.1.0
 */
public final class WorkerLookup {
  private WorkerLookup() {}

  /**
   * The id of the worker {@code nameOrId} names among {@code workers}.
   *
   * @throws IllegalArgumentException naming the known workers when none or several match
   */
  public static String resolve(List<WorkerInfo> workers, String nameOrId) {
    return resolve(workers, nameOrId, w -> false);
  }

  /**
   * The id of the worker {@code nameOrId} names among {@code workers}, as {@link #resolve(List,
   * String)} finds it; of several workers of that name, the one that is live at {@code now} (a
   * heartbeat within {@code offlineAfter}, not stopping): the machine as it runs today, not the
   * records it left under older ids (a state folder set up again, a daemon stopped for good).
   *
   * @throws IllegalArgumentException naming the known workers when none, or several live ones,
   *     match
   */
  public static String resolve(
      List<WorkerInfo> workers, String nameOrId, Instant now, Duration offlineAfter) {
    return resolve(
        workers,
        nameOrId,
        w -> w.state().kind() != WorkerState.Kind.STOPPING && !w.offlineAt(now, offlineAfter));
  }

  private static String resolve(
      List<WorkerInfo> workers, String nameOrId, Predicate<WorkerInfo> live) {
    Optional<WorkerInfo> byId = workers.stream().filter(w -> w.id().equals(nameOrId)).findFirst();
    if (byId.isPresent()) {
      return byId.get().id();
    }
    List<WorkerInfo> byName = workers.stream().filter(w -> w.name().equals(nameOrId)).toList();
    if (byName.size() == 1) {
      return byName.get(0).id();
    }
    List<WorkerInfo> liveByName = byName.stream().filter(live).toList();
    if (liveByName.size() == 1) {
      return liveByName.get(0).id();
    }
    String known =
        workers.isEmpty()
            ? "no machine has recorded itself in this store yet (a daemon does when it starts)"
            : "known: "
                + workers.stream()
                    .map(w -> w.name() + " (" + w.id() + ")")
                    .collect(Collectors.joining(", "));
    throw new IllegalArgumentException(
        byName.isEmpty()
            ? "no machine is named " + nameOrId + ": " + known
            : "several machines are named " + nameOrId + ": give the worker id; " + known);
  }
}
