package dev.overnight.core.report;

import dev.overnight.api.queue.TaskStatus;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How many tasks another machine of the fleet ran in a report's period, by status: the morning
 * report of one machine on a shared queue covers its own tasks and says the others' in one line.
 *
 * <p>Immutable and thread-safe.
 *
 * @param machine the machine's name (its {@code fleet.name}, else its host name)
 * @param counts tasks by status; statuses it has none of may be absent
 * @since 0.1.0
 */
public record MachineCounts(String machine, Map<TaskStatus, Long> counts) {

  /** Validates and copies. */
  public MachineCounts {
    Objects.requireNonNull(machine, "machine");
    counts = counts.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(counts));
  }

  /** How many tasks of this status. */
  public long count(TaskStatus status) {
    return counts.getOrDefault(status, 0L);
  }

  /** The counts in words, zeros left out: {@code "3 completed, 1 failed, 2 still queued"}. */
  public String words() {
    StringBuilder b = new StringBuilder();
    append(b, count(TaskStatus.COMPLETED), "completed");
    append(b, count(TaskStatus.FAILED), "failed");
    append(b, count(TaskStatus.PENDING) + count(TaskStatus.IN_PROGRESS), "still queued");
    append(b, count(TaskStatus.CANCELLED), "cancelled");
    return b.length() == 0 ? "nothing" : b.toString();
  }

  private static void append(StringBuilder b, long n, String what) {
    if (n > 0) {
      b.append(b.length() == 0 ? "" : ", ").append(n).append(' ').append(what);
    }
  }
}
