package dev.overnight.core.fleet;

import dev.overnight.api.config.FleetSettings;
import dev.overnight.api.config.OrchestrationConfig;
import java.util.Map;
import java.util.Objects;

/**
 * The id a machine's scheduler keeps its snapshot and cycle history under in a store. On a store of
 * this machine alone it is the config's id, as it always was. On a store the machines of a fleet
 * share, one config is copied to every machine, and each machine counts its cycles from its own
 * start ({@code cycle-1}, {@code cycle-2}, ...): so the id is the config's id and the machine's
 * name (the config's {@code fleet.name}, else the host name), e.g. {@code nightly@mac-mini}, and no
 * machine's history, cycle count or catch-up replaces another's. The name rather than the worker
 * id, because it is what {@code overnight fleet status} shows and {@code enqueue --on} takes.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class SchedulerIds {

  /** Between the config's id and the machine's name. */
  public static final String SEPARATOR = "@";

  private SchedulerIds() {}

  /**
   * The scheduler id of this machine for {@code config}.
   *
   * @param sharedStore whether the store is shared by machines ({@link
   *     dev.overnight.api.store.Store#shared()})
   * @param environment where the host name is read ({@code HOSTNAME}) when the config names no
   *     fleet name; the system is asked otherwise
   */
  public static String of(
      OrchestrationConfig config, boolean sharedStore, Map<String, String> environment) {
    Objects.requireNonNull(config, "config");
    return of(config.id(), config.fleet(), sharedStore, environment);
  }

  /**
   * The scheduler id of this machine for the config of id {@code configId} and fleet settings
   * {@code fleet}: for a reader that knows the id without the whole config (a state folder's {@code
   * daemon.json}).
   */
  public static String of(
      String configId, FleetSettings fleet, boolean sharedStore, Map<String, String> environment) {
    Objects.requireNonNull(configId, "configId");
    Objects.requireNonNull(fleet, "fleet");
    Objects.requireNonNull(environment, "environment");
    if (!sharedStore) {
      return configId;
    }
    return configId
        + SEPARATOR
        + fleet.name().orElseGet(() -> WorkerIdentity.hostName(environment));
  }

  /**
   * The config id a scheduler id belongs to: the id itself, or on a shared store the part before
   * the machine's name. Config ids never contain {@value #SEPARATOR}.
   */
  public static String configIdOf(String schedulerId) {
    int at = schedulerId.indexOf(SEPARATOR);
    return at < 0 ? schedulerId : schedulerId.substring(0, at);
  }
}
