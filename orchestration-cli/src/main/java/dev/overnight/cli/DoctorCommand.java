package dev.overnight.cli;

import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.store.Store;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.coordinator.PullRequestFollowUps;
import dev.overnight.core.doctor.Doctor;
import dev.overnight.core.doctor.DoctorReport;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.Discovery;
import dev.overnight.core.spi.ProviderLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overnight doctor}: checks this machine for Overnight and prints what it found — each
 * constraint checker's answer and which provider gave it, keep-awake, agents, git and gh, the state
 * folder and database, and any other configuration sharing that folder — as text, or as JSON with
 * {@code --json}.
 *
 * <p>Exit code 0 when nothing stops Overnight from working here, 1 when the report lists a problem
 * (among them "this config will never run here", with why and the fix), 2 when the configuration
 * cannot be read.
 *
 * @since 0.1.0
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check this machine for Overnight: constraint checkers, keep-awake, agents, git and gh,"
          + " the state folder and database, and whether the config can ever run here.",
      "Paste its output into a bug report: it says which provider answered each check and why"
          + " the others did not."
    })
public final class DoctorCommand implements Callable<Integer> {

  /** Reads a configuration file into a validated configuration. */
  @FunctionalInterface
  public interface ConfigReader {
    /**
     * Reads {@code file}.
     *
     * @throws ConfigException listing every problem found
     */
    OrchestrationConfig read(Path file);
  }

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The configuration to examine (which constraints it enables, the state folder).")
  Path configFile;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "The state folder to examine (default: the config's state_dir, else a per-user folder"
              + " named after the config's id).")
  Path stateDir;

  @Spec CommandSpec spec;

  private final Optional<ConfigReader> configReader;
  private final Optional<OrchestrationConfig> givenConfig;
  private final ProviderLoader loader;
  private final Path userBase;

  /**
   * The command as the {@code overnight} launcher builds it: providers discovered on the class
   * path, {@code --config} files read with {@link ConfigLoader}.
   */
  public DoctorCommand() {
    this(
        Optional.of(file -> ConfigLoader.standard().load(file)),
        Optional.empty(),
        ProviderLoader.standard(),
        userBase());
  }

  /** The command reading {@code --config} files with {@code reader}. */
  public DoctorCommand(ConfigReader reader) {
    this(
        Optional.of(Objects.requireNonNull(reader, "reader")),
        Optional.empty(),
        ProviderLoader.standard(),
        userBase());
  }

  /** The command examining an already loaded configuration when no {@code --config} is given. */
  public DoctorCommand(OrchestrationConfig config) {
    this(
        Optional.empty(),
        Optional.of(Objects.requireNonNull(config, "config")),
        ProviderLoader.standard(),
        userBase());
  }

  /**
   * The command with every part given.
   *
   * @param reader reads {@code --config} files, when this build can
   * @param config the configuration examined when no {@code --config} is given
   * @param loader discovers checker, keep-awake and agent providers
   * @param userBase the per-user folder whose subfolder named after the config's id is the state
   *     folder when neither {@code --state-dir} nor the configuration names one
   */
  public DoctorCommand(
      Optional<ConfigReader> reader,
      Optional<OrchestrationConfig> config,
      ProviderLoader loader,
      Path userBase) {
    this.configReader = Objects.requireNonNull(reader, "reader");
    this.givenConfig = Objects.requireNonNull(config, "config");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.userBase = Objects.requireNonNull(userBase, "userBase");
  }

  /** The per-user base every other command uses too, so doctor examines the folder they fill. */
  static Path userBase() {
    return StateOptions.userBase();
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OrchestrationConfig config;
    String source;
    if (configFile == null) {
      config = givenConfig.orElseGet(DoctorCommand::defaults);
      source = givenConfig.isPresent() ? "given by the caller" : "defaults (no --config given)";
    } else if (configReader.isPresent()) {
      try {
        config = configReader.get().read(configFile);
      } catch (ConfigException e) {
        err.println(TerminalText.text(e.getMessage()));
        err.flush();
        return 2;
      }
      source = configFile.toAbsolutePath().toString();
    } else {
      config = givenConfig.orElseGet(DoctorCommand::defaults);
      source =
          configFile.toAbsolutePath()
              + " (not read: this command was built without a config reader; defaults examined)";
    }
    Path state = stateFolder(config);
    StatePaths paths = new StatePaths(state);
    Discovery discovery = OvernightRuntime.discover(config, paths, loader);
    List<AgentProvider> agents = discovery.agents();
    discovery.problems().forEach(p -> err.println(TerminalText.line(p)));
    Doctor.Builder doctor =
        Doctor.builder()
            .config(config, source)
            .checkerProviders(discovery.constraintCheckers().all())
            .keepAwakeProviders(discovery.keepAwakeProviders())
            .wakeSchedulerProviders(discovery.wakeSchedulerProviders())
            .agentProviders(agents)
            .stateDir(state);
    Optional<Store> store = existingStore(config, paths, err);
    DoctorReport report;
    try {
      store.ifPresent(doctor::store);
      report = doctor.build().run();
    } finally {
      store.ifPresent(Store::close);
    }
    out.print(json ? report.toJson() : TerminalText.text(report.toText()));
    if (!json) {
      PullRequestFollowUps.inDayNote(config)
          .ifPresent(note -> out.println(TerminalText.line("Follow-ups: " + note)));
    }
    out.flush();
    return report.healthy() ? 0 : 1;
  }

  /**
   * The folder's store, when it has a database: who else uses the folder is read from it. A
   * database that cannot be opened is left to the state check to judge.
   */
  private static Optional<Store> existingStore(
      OrchestrationConfig config, StatePaths paths, PrintWriter err) {
    if (!Files.isRegularFile(paths.database())) {
      return Optional.empty();
    }
    try {
      return Optional.of(OvernightRuntime.openStore(config, paths));
    } catch (RuntimeException e) {
      err.println("doctor: could not open " + paths.database() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private Path stateFolder(OrchestrationConfig config) {
    if (stateDir != null) {
      return stateDir.toAbsolutePath().normalize();
    }
    return config.stateDir().map(ConfigValue::path).orElse(userBase.resolve(config.id()));
  }

  private static OrchestrationConfig defaults() {
    return OrchestrationConfig.builder(ConfigValue.of(Path.of("").toAbsolutePath().toString()))
        .build();
  }
}
