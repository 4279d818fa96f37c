package dev.overnight.core.coordinator;

import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.UsageLimitException;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.secrets.Redactor;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * When an agent cannot work for a while: it needs a login, hit a usage limit, or failed to start
 * too many times in a row ({@code limits.start_failures_before_park}). It is then parked in the
 * roster, with why and what to do, and the coordinator's listeners are told.
 *
 * <p>Thread-safe: called from the tasks' threads.
 */
final class AgentParking {
  private final OrchestrationConfig config;
  private final AgentRoster roster;
  private final QuotaLedger quota;
  private final Redactor redactor;
  private final TimeSource time;
  private final Consumer<CoordinatorEvent> emit;
  private final Map<String, Integer> startFailures = new ConcurrentHashMap<>();

  /**
   * Parks agents in {@code roster}, telling {@code emit}; errors shown through {@code redactor}.
   */
  AgentParking(
      OrchestrationConfig config,
      AgentRoster roster,
      QuotaLedger quota,
      Redactor redactor,
      TimeSource time,
      Consumer<CoordinatorEvent> emit) {
    this.config = config;
    this.roster = roster;
    this.quota = quota;
    this.redactor = redactor;
    this.time = time;
    this.emit = emit;
  }

  void parkForLogin(String agentId, Instant until, String error) {
    roster.park(
        agentId,
        until,
        "needs a login: " + redactor.redact(error),
        "log the agent in or set its key, then restart Overnight");
    emit.accept(new CoordinatorEvent.AgentParked(now(), agentId, until, redactor.redact(error)));
  }

  void parkForLimit(String agentId, UsageLimitException e) {
    Instant until =
        e.resetAt().filter(r -> r.isAfter(now())).orElse(now().plus(Duration.ofMinutes(30)));
    roster.park(agentId, until, "hit a usage limit", "wait for the reset");
    quota.exhausted(agentId, e.resetAt(), now());
    emit.accept(
        new CoordinatorEvent.AgentParked(now(), agentId, until, redactor.redact(e.getMessage())));
  }

  /** The agent started a session: its run of start failures is over. */
  void agentStarted(String agentId) {
    startFailures.remove(agentId);
  }

  /**
   * The agent failed to start (not the task's fault). After {@code
   * limits.start_failures_before_park} failures in a row it is parked for the rest of the night,
   * with its own error as the reason.
   *
   * @return until when it is parked, if this failure parked it
   */
  Optional<Instant> agentFailedToStart(String agentId, String error) {
    int limit = config.limits().startFailuresBeforePark();
    int inARow = startFailures.merge(agentId, 1, Integer::sum);
    if (inARow < limit) {
      return Optional.empty();
    }
    startFailures.remove(agentId);
    Instant until = NightEnd.after(config.schedule(), now());
    String why =
        "failed to start "
            + inARow
            + (inARow == 1 ? " time" : " times in a row")
            + ": "
            + redactor.redact(error);
    roster.park(
        agentId,
        until,
        why,
        "try it by hand with overnight agent try --agent " + agentId + ", fix it, then restart");
    emit.accept(new CoordinatorEvent.AgentParked(now(), agentId, until, why));
    return Optional.of(until);
  }

  private Instant now() {
    return time.instant();
  }
}
