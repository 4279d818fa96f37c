package dev.overnight.core.fleet;

import dev.overnight.api.fleet.WorkerInfo;
import java.util.List;
import java.util.Optional;
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
    Optional<WorkerInfo> byId = workers.stream().filter(w -> w.id().equals(nameOrId)).findFirst();
    if (byId.isPresent()) {
      return byId.get().id();
    }
    List<WorkerInfo> byName = workers.stream().filter(w -> w.name().equals(nameOrId)).toList();
    if (byName.size() == 1) {
      return byName.get(0).id();
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
