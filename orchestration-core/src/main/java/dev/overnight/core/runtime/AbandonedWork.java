package dev.overnight.core.runtime;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.core.process.ProcessLedger;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a dead Overnight left in a state folder: its agents' process groups (ended) and the tasks
 * its worker had in progress (back to pending at once). Only for the holder of the folder's lock:
 * then no other Overnight starts agents there, and the previous holder released the lock, so it is
 * dead unless its process is still alive (checked by pid and start time).
 *
 * <p>Stateless; blocks on the processes' end and the store.
 */
final class AbandonedWork {
  private static final Logger LOG = LoggerFactory.getLogger(AbandonedWork.class);

  private AbandonedWork() {}

  /**
   * Ends the orphaned agent processes {@code ledger} records, and gives back the tasks of the
   * {@code previous} holder if it is dead. A store failure here is logged: the leases then run out
   * as usual.
   */
  static void recover(Optional<StateLock.Holder> previous, ProcessLedger ledger, TaskQueue queue) {
    ledger.reapOrphans();
    Optional<StateLock.Holder> dead = previous.filter(h -> !h.process().isAlive());
    if (dead.isEmpty()) {
      return;
    }
    StateLock.Holder holder = dead.get();
    try {
      List<Task> recovered =
          queue.recoverLeasesOf(
              holder.worker(),
              "the Overnight that held the state folder ("
                  + holder.process()
                  + ") is gone, and "
                  + ProcessHandle.current().pid()
                  + " holds it now");
      if (!recovered.isEmpty()) {
        LOG.info(
            "Recovered {} task(s) that {} of a dead Overnight ({}) had in progress",
            recovered.size(),
            holder.worker(),
            holder.process());
      }
    } catch (TaskQueueException e) {
      LOG.warn(
          "Could not recover the tasks of {}; they return when their leases run out: {}",
          holder.worker(),
          e.getMessage());
    }
  }
}
