package dev.overnight.spring.boot;

import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.spring.boot.internal.RuntimeStatus;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The Actuator endpoint {@code overnight}: {@code /actuator/overnight} gives the scheduler's state,
 * counters and next wake, the queue by status and every agent's availability; {@code
 * /actuator/overnight/plan} what Overnight would work on next if its queue ran dry, and why (the
 * {@code overnight plan --json} document). Read-only. Expose it over HTTP with {@code
 * management.endpoints.web.exposure.include=health,overnight}.
 *
 * <p>Thread-safe. Each read asks the runtime now: a count query per status, each agent's
 * availability check; the plan reads git and session history.
 *
 * @since 0.1.0
 */
@Endpoint(id = "overnight")
public class OvernightEndpoint {
  private final OvernightRuntime runtime;

  /** The endpoint of {@code runtime}. */
  public OvernightEndpoint(OvernightRuntime runtime) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
  }

  /** Scheduler, queue and agents. */
  @ReadOperation
  public Map<String, Object> status() {
    return RuntimeStatus.status(runtime);
  }

  /**
   * One part: {@code plan}, or {@code queue} (tasks by status); {@code null}, which Actuator
   * answers with 404, for any other.
   */
  @ReadOperation
  public Map<String, ?> part(@Selector String part) {
    return switch (part) {
      case "plan" -> RuntimeStatus.plan(runtime);
      case "queue" -> RuntimeStatus.queue(runtime.taskQueue());
      default -> null;
    };
  }
}
