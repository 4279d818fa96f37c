package dev.overnight.api;

import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.OrchestrationConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a discovered provider is created with: the configuration, the runtime's {@link TimeSource}
 * (virtual in tests, compressed in a demo, the system's in a daemon), the state folder and the
 * environment. A provider takes time, files and settings from here rather than from the system, so
 * one runtime's parts all see the same clock and the same folder.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ProviderContext {
  private final OrchestrationConfig config;
  private final TimeSource timeSource;
  private final Path stateDirectory;
  private final Map<String, String> environment;
  private final Path homeDirectory;
  private final Function<String, Optional<AgentProvider>> agents;

  private ProviderContext(Builder b) {
    this.config = b.config;
    this.timeSource = Objects.requireNonNull(b.timeSource, "timeSource");
    this.stateDirectory = Objects.requireNonNull(b.stateDirectory, "stateDirectory");
    this.environment = Map.copyOf(b.environment);
    this.homeDirectory = Objects.requireNonNull(b.homeDirectory, "homeDirectory");
    this.agents = b.agents;
  }

  private ProviderContext(ProviderContext c, Function<String, Optional<AgentProvider>> agents) {
    this.config = c.config;
    this.timeSource = c.timeSource;
    this.stateDirectory = c.stateDirectory;
    this.environment = c.environment;
    this.homeDirectory = c.homeDirectory;
    this.agents = Objects.requireNonNull(agents, "agents");
  }

  /** Starts a context for a configuration; the time source and state folder are required. */
  public static Builder builder(OrchestrationConfig config) {
    return new Builder(config);
  }

  /** The configuration the runtime runs. */
  public OrchestrationConfig config() {
    return config;
  }

  /** The runtime's time source: read time and schedule timers through it, never the system's. */
  public TimeSource timeSource() {
    return timeSource;
  }

  /** The state folder: database, worktrees, transcripts, reports. It may not exist yet. */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /** The environment variables (default: the process's). */
  public Map<String, String> environment() {
    return environment;
  }

  /** The user's home folder (default: {@code user.home}). */
  public Path homeDirectory() {
    return homeDirectory;
  }

  /**
   * The runtime's agent of this id, for providers that hand work to an agent (the agent decision
   * engine plans through one); empty when the runtime has no such agent, or for providers created
   * before the agents (the agents themselves, stores, checkers).
   */
  public Optional<AgentProvider> agent(String id) {
    return agents.apply(Objects.requireNonNull(id, "id"));
  }

  /** This context, with the runtime's agents found through {@code lookup}. */
  public ProviderContext withAgents(Function<String, Optional<AgentProvider>> lookup) {
    return new ProviderContext(this, lookup);
  }

  @Override
  public String toString() {
    return "ProviderContext[" + config.id() + ", " + stateDirectory + "]";
  }

  /** Builds a {@link ProviderContext}. Not thread-safe. */
  public static final class Builder {
    private final OrchestrationConfig config;
    private TimeSource timeSource;
    private Path stateDirectory;
    private Map<String, String> environment = System.getenv();
    private Path homeDirectory = Path.of(System.getProperty("user.home", "."));
    private final Function<String, Optional<AgentProvider>> agents = id -> Optional.empty();

    private Builder(OrchestrationConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The runtime's time source (required). */
    public Builder timeSource(TimeSource value) {
      timeSource = Objects.requireNonNull(value, "timeSource");
      return this;
    }

    /** The state folder (required). */
    public Builder stateDirectory(Path value) {
      stateDirectory = Objects.requireNonNull(value, "stateDirectory").toAbsolutePath().normalize();
      return this;
    }

    /** The environment variables (default: the process's). */
    public Builder environment(Map<String, String> value) {
      environment = Objects.requireNonNull(value, "environment");
      return this;
    }

    /** The user's home folder (default: {@code user.home}). */
    public Builder homeDirectory(Path value) {
      homeDirectory = Objects.requireNonNull(value, "homeDirectory");
      return this;
    }

    /**
     * Builds the context.
     *
     * @throws NullPointerException if the time source or state folder is missing
     */
    public ProviderContext build() {
      return new ProviderContext(this);
    }
  }
}
