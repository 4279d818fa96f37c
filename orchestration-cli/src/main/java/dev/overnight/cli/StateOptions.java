package dev.overnight.cli;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.store.Store;
import dev.overnight.core.config.ConfigLoader;
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
    OrchestrationConfig config =
        config()
            .orElseGet(
                () -> OrchestrationConfig.builder(ConfigValue.of(paths.root().toString())).build());
    return OvernightRuntime.openStore(config, paths);
  }

  /** The state folder for a loaded configuration. */
  StatePaths paths(OrchestrationConfig config) {
    return StatePaths.of(Optional.ofNullable(stateDir), config);
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
    Path base =
        StatePaths.userBase(
            System.getenv(),
            System.getProperty("os.name", ""),
            Path.of(System.getProperty("user.home")));
    List<Path> folders;
    try (Stream<Path> s = Files.isDirectory(base) ? Files.list(base) : Stream.empty()) {
      folders = s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      folders = List.of();
    }
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
