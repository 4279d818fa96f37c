package dev.overnight.api.queue;

/**
 * What happened to a task; one {@link TaskEvent} is recorded per change.
 *
 * @since 0.1.0
 */
public enum TaskEventType {
  /** Added to the queue. */
  ENQUEUED,
  /** Claimed by a worker; an attempt started. */
  CLAIMED,
  /** Finished successfully. */
  COMPLETED,
  /** An attempt failed and the task went back to pending for another. */
  RETRY_SCHEDULED,
  /** Failed for good. */
  FAILED,
  /** Given back to the queue without counting the attempt. */
  RELEASED,
  /** Its worker's lease ran out; recovered to pending or failed. */
  LEASE_EXPIRED,
  /** Called off. */
  CANCELLED,
  /** A failed or cancelled task was put back to pending by hand. */
  RETRIED,
  /** Metadata was added while in progress (branch, session, PR). */
  ANNOTATED
}
