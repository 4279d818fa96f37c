package dev.overnight.cli;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.FleetSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.StoreSettings;
import dev.overnight.api.store.Store;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.fleet.SchedulerIds;
import dev.overnight.core.fleet.WorkerIdentity;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every command that uses state shares: {@code --config} and {@code --state-dir}. The
 * state folder is {@code --state-dir}, else the config's {@code state_dir}, else the per-user
 * folder of the config's id (see {@link StatePaths}); without a config, the only folder under the
 * per-user base, if there is exactly one.
 */
final class StateOptions {
  @Spec(Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The configuration file.")
  Path configFile;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "The state folder (default: the config's state_dir, else a per-user folder named after the"
              + " config's id).")
  Path stateDir;

  /** The configuration; {@code --config} is required. */
  OrchestrationConfig requireConfig() {
    if (configFile == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: --config FILE");
    }
    return ConfigLoader.standard().load(configFile);
  }

  /** The configuration, when {@code --config} was given. */
  Optional<OrchestrationConfig> config() {
    return configFile == null
        ? Optional.empty()
        : Optional.of(ConfigLoader.standard().load(configFile));
  }

  /**
   * Opens the store of the state folder {@code paths} (from {@link #paths()}), as the runtime of
   * the configuration would (a configuration's defaults when no {@code --config} is given).
   */
  Store openStore(StatePaths paths) {
    return OvernightRuntime.openStore(configOrDefaults(paths), paths);
  }

  /**
   * The configuration: the given one, else the one the folder's daemon was started with (so that a
   * command given only the folder opens the daemon's store, e.g. a fleet's PostgreSQL), else one of
   * defaults for the state folder {@code paths}.
   */
  OrchestrationConfig configOrDefaults(StatePaths paths) {
    return config()
        .or(() -> daemonConfig(paths))
        .orElseGet(
            () -> OrchestrationConfig.builder(ConfigValue.of(paths.root().toString())).build());
  }

  /**
   * Whether the store of the state folder {@code paths} may hold something: the SQLite file in the
   * folder once anything ran, or a database server the configuration names (a fleet's PostgreSQL),
   * which is never in the folder.
   */
  boolean storeExists(StatePaths paths) {
    boolean inTheFolder =
        configOrDefaults(paths)
            .store()
            .map(s -> s.kind().equals(StoreSettings.SQLITE))
            .orElse(true);
    return !inTheFolder || Files.exists(paths.database());
  }

  /** The config file the daemon of {@code paths} recorded, when it is still there. */
  private static Optional<OrchestrationConfig> daemonConfig(StatePaths paths) {
    return DaemonInfo.read(paths)
        .flatMap(DaemonInfo::configFile)
        .map(Path::of)
        .filter(Files::isRegularFile)
        .map(f -> ConfigLoader.standard().load(f));
  }

  /**
   * The id of the configuration whose state {@code paths} holds: the given config's, else the one
   * its daemon wrote in {@code daemon.json}, else the folder's name (a config's id names its
   * default folder).
   */
  static String configId(StatePaths paths, Optional<OrchestrationConfig> config) {
    return config
        .map(OrchestrationConfig::id)
        .or(() -> DaemonInfo.read(paths).map(DaemonInfo::configId))
        .orElse(paths.root().getFileName().toString());
  }

  /**
   * The id the scheduler of the configuration whose state {@code paths} holds keeps its snapshot
   * and cycles under in {@code store}: its {@link #configId}, or on a store machines share, that id
   * and this machine's name (see {@link SchedulerIds}): the given config's {@code fleet.name}, else
   * that of the config its daemon recorded, else the host name.
   */
  static String schedulerId(StatePaths paths, Optional<OrchestrationConfig> config, Store store) {
    return SchedulerIds.of(
        configId(paths, config),
        config
            .or(() -> store.shared() ? daemonConfig(paths) : Optional.empty())
            .map(OrchestrationConfig::fleet)
            .orElseGet(FleetSettings::none),
        store.shared(),
        System.getenv());
  }

  /**
   * Whose tasks the report and night alarms of the state folder {@code paths} cover: on a store
   * machines share, those its daemon ran, under the folder's worker id (see {@link
   * WorkerIdentity#stableId}); otherwise every task of the store (empty).
   */
  static Optional<String> ownTasks(StatePaths paths, Store store) {
    return store.shared() ? Optional.of(WorkerIdentity.stableId(paths.root())) : Optional.empty();
  }

  /** The state folder for a loaded configuration. */
  StatePaths paths(OrchestrationConfig config) {
    return StatePaths.of(Optional.ofNullable(stateDir), config);
  }

  /** Whether {@code --config} or {@code --state-dir} names the state folder. */
  boolean named() {
    return stateDir != null || configFile != null;
  }

  /** The per-user folder that holds the state folders of configs without {@code state_dir}. */
  static Path userBase() {
    return StatePaths.userBase(
        System.getenv(),
        System.getProperty("os.name", ""),
        Path.of(System.getProperty("user.home", ".")));
  }

  /** The state folders under {@code base}, sorted; none when it does not exist. */
  static List<Path> foldersUnder(Path base) {
    try (Stream<Path> s = Files.isDirectory(base) ? Files.list(base) : Stream.empty()) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The state folder, from {@code --state-dir}, the config, or the only per-user folder. */
  StatePaths paths() {
    if (stateDir != null) {
      return new StatePaths(stateDir);
    }
    Optional<OrchestrationConfig> config = config();
    if (config.isPresent()) {
      return paths(config.get());
    }
    Path base = userBase();
    List<Path> folders = foldersUnder(base);
    if (folders.size() == 1) {
      return new StatePaths(folders.get(0));
    }
    throw new ParameterException(
        spec.commandLine(),
        folders.isEmpty()
            ? "No state folder under " + base + ": give --config FILE or --state-dir DIR"
            : "Several state folders under "
                + base
                + " "
                + folders.stream().map(p -> p.getFileName().toString()).toList()
                + ": give --config FILE or --state-dir DIR");
  }
}
