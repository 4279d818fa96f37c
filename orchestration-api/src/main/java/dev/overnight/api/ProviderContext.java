package dev.overnight.api;

import dev.overnight.api.config.OrchestrationConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

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

  private ProviderContext(Builder b) {
    this.config = b.config;
    this.timeSource = Objects.requireNonNull(b.timeSource, "timeSource");
    this.stateDirectory = Objects.requireNonNull(b.stateDirectory, "stateDirectory");
    this.environment = Map.copyOf(b.environment);
    this.homeDirectory = Objects.requireNonNull(b.homeDirectory, "homeDirectory");
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
