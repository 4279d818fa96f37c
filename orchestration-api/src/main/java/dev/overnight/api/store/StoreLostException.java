package dev.overnight.api.store;

import dev.overnight.api.queue.TaskQueueException;

/**
 * The store's backing data went away under a running process: its file was deleted or replaced by
 * another one. Nothing more is read from or written to it, because what this process would write
 * could no longer be seen by anyone else (a deleted file) or would mix two histories (a replaced
 * one). Every later call on the store throws this again; a runtime that meets it stops, and a
 * restart opens whatever the file is now.
 *
 * <p>The message names the file and says what happened and what to do.
 *
 * @since 0.1.0
 */
public class StoreLostException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public StoreLostException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public StoreLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
