package dev.overnight.core.runtime;

import dev.overnight.api.OrchestrationException;
import java.util.OptionalLong;

/**
 * Another running Overnight holds the state folder; the message names its pid.
 *
 * @since 0.1.0
 */
public class StateInUseException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  private final long pid;

  /** Creates the exception. */
  public StateInUseException(String message, OptionalLong pid) {
    super(message);
    this.pid = pid.orElse(-1);
  }

  /** The pid of the process holding the folder, when it wrote one. */
  public OptionalLong pid() {
    return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
  }
}
