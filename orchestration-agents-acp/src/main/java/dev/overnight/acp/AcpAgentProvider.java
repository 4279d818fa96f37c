package dev.overnight.acp;

import dev.overnight.acp.internal.AcpSessionImpl;
import dev.overnight.acp.internal.AgentProfile;
import dev.overnight.acp.internal.ProviderSettings;
import dev.overnight.acp.internal.SandboxSettings;
import dev.overnight.api.Availability;
import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentCapabilities;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.SandboxMode;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.SandboxChoice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts sessions with an agent that speaks the Agent Client Protocol over stdio: Claude Code
 * ({@link #claudeCode()}), Codex ({@link #codex()}), Gemini CLI ({@link #gemini()}), or any command
 * ({@link #command}).
 *
 * <p>Each session runs the agent as a child process in the task's worktree, inheriting this
 * process's environment (HOME, PATH, logins) plus the variables configured here and in the {@link
 * SessionRequest}. The agent's file and terminal requests are confined to the worktree, its
 * permission requests answered by the request's policy, its stderr logged under {@code
 * dev.overnight.acp.agent.<id>}, and every message written to the request's transcript folder
 * (owner-only). The secrets of its environment ({@link dev.overnight.core.secrets.Redactor}) are
 * redacted from the transcript, its stderr, its updates and the output of its terminals.
 *
 * <p>Sandbox: the commands of the client's terminals, and the agent's own process when the agent
 * runs commands itself (Claude Code, Codex, Gemini CLI), run in this machine's sandbox (bubblewrap
 * on Linux, {@code sandbox-exec} on macOS): the worktree (and what git needs to commit on its
 * branch) writable, the agent's own settings and cache folders writable for its process, the rest
 * of the machine read-only, a private {@code /tmp}, and the user's secrets ({@code ~/.ssh}, {@code
 * ~/.aws}, {@code ~/.config/gh}, ...), Overnight's state folders and the request's hidden paths not
 * visible. Terminals have no network unless {@link Builder#allowNetwork} says so. With {@link
 * SandboxMode#REQUIRED} (the default) and no usable sandbox the provider is unavailable and
 * sessions refuse to start.
 *
 * <p>Budgets: with {@link Builder#turnTimeout} or {@link Builder#silenceTimeout}, a turn that runs
 * too long or goes quiet is sent {@code session/cancel}; if it has not ended after the request's
 * cancel grace period its process tree is killed and the turn fails with {@link
 * dev.overnight.api.agent.AgentTimeoutException}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class AcpAgentProvider implements AgentProvider {
  /** Default cap on one message from an agent. */
  public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

  private final ProviderSettings settings;

  private AcpAgentProvider(ProviderSettings settings) {
    this.settings = settings;
  }

  /** Claude Code through {@code claude-agent-acp} (or the older {@code claude-code-acp}). */
  public static AcpAgentProvider claudeCode() {
    return builder("claude-code").build();
  }

  /** Codex through {@code codex-acp}. */
  public static AcpAgentProvider codex() {
    return builder("codex").build();
  }

  /** Gemini CLI through {@code gemini --experimental-acp}. */
  public static AcpAgentProvider gemini() {
    return builder("gemini").build();
  }

  /**
   * An agent started by a configured command: for a built-in id ({@code claude-code}, {@code
   * codex}, {@code gemini}) it replaces that agent's default command and keeps what Overnight knows
   * about it; any other id is a plain ACP agent.
   */
  public static AcpAgentProvider command(String id, AgentCommand command) {
    return builder(id).agentCommand(command).build();
  }

  /**
   * Starts a provider builder for {@code id}. The built-in ids ({@code claude-code}, {@code codex},
   * {@code gemini}) come with their default commands, credential checks and login advice.
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  @Override
  public String id() {
    return settings.id();
  }

  /**
   * Whether the command is found on PATH, for the built-in agents whether credentials are (an API
   * key in the environment or a stored login), and, when a sandbox is required, whether one can be
   * used here; if not, why and how to fix it. Starts no process but, once per JVM, the trial run
   * that finds this machine's sandbox.
   */
  @Override
  public Availability availability() {
    Map<String, String> env = AcpSessionImpl.effectiveEnvironment(settings, null);
    List<String> argv;
    try {
      argv = AcpSessionImpl.resolveCommand(settings, env);
    } catch (AgentException e) {
      return Availability.unavailable(
          e.getMessage().replaceFirst(" \\(.*\\)$", ""), settings.profile().installHint());
    } catch (RuntimeException e) {
      return Availability.unavailable(
          id() + ": cannot check the command: " + e, settings.profile().installHint());
    }
    String found = argv.get(0) + " found";
    AgentProfile profile = settings.profile();
    if (!profile.checksCredentials()) {
      return sandboxed(Availability.available(id() + ": " + found));
    }
    Optional<String> credentials = profile.findCredentials(env);
    if (credentials.isEmpty()) {
      List<String> where = new ArrayList<>(profile.keyVariables());
      profile.credentialFiles(env).forEach(p -> where.add(p.toString()));
      return Availability.unavailable(
          id() + ": " + found + ", but no credentials: none of " + String.join(", ", where),
          profile.loginHint());
    }
    return sandboxed(Availability.available(id() + ": " + found + "; " + credentials.get()));
  }

  /** {@code found}, unless a sandbox is required and none can be used here. */
  private Availability sandboxed(Availability found) {
    SandboxChoice choice = settings.sandbox().choice();
    if (!choice.refuses()) {
      return found;
    }
    Availability refusal = choice.availability();
    return Availability.unavailable(id() + ": " + refusal.reason(), refusal.remedy().orElse(""));
  }

  @Override
  public AgentCapabilities capabilities() {
    return settings.profile().capabilities();
  }

  /**
   * Starts the agent and a new session.
   *
   * @throws dev.overnight.api.agent.AgentUnavailableException if the command cannot be found or
   *     run, or a sandbox is required and none can be used here
   * @throws dev.overnight.api.agent.AuthenticationRequiredException if the agent is not logged in
   * @throws AgentException for any other start-up failure; no process is left behind
   */
  @Override
  public AcpAgentSession open(SessionRequest request) {
    return AcpSessionImpl.open(settings, request, Optional.empty());
  }

  /**
   * Starts the agent and resumes an earlier session with its history ({@code session/load}); the
   * replayed history arrives on {@link AcpAgentSession#updates()}.
   *
   * @throws AgentException if the agent does not offer {@code session/load}, or as {@link #open}
   */
  public AcpAgentSession resume(SessionRequest request, String sessionId) {
    return AcpSessionImpl.open(settings, request, Optional.of(sessionId));
  }

  @Override
  public String toString() {
    return "AcpAgentProvider[" + settings.id() + "]";
  }

  /** Configures an {@link AcpAgentProvider}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Map<String, String> baseEnvironment = System.getenv();
    private String mode;
    private Duration turnTimeout;
    private Duration silenceTimeout;
    private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
    private long maxReadBytes = 8L * 1024 * 1024;
    private long terminalOutputLimit = 1024L * 1024;
    private int maxTerminals = 16;
    private TimeSource timeSource;
    private SandboxMode sandboxMode = SandboxMode.REQUIRED;
    private boolean allowNetwork;
    private final List<Path> hiddenPaths = new ArrayList<>();
    private final List<Path> agentFolders = new ArrayList<>();
    private Boolean confineAgentProcess;
    private Sandbox sandbox;

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
      if (id.isBlank()) {
        throw new IllegalArgumentException("an agent id must not be blank");
      }
    }

    /** The command line: an executable (name on PATH or path) and its arguments. */
    public Builder command(String executable, List<String> args) {
      List<String> argv = new ArrayList<>();
      argv.add(Objects.requireNonNull(executable, "executable"));
      argv.addAll(args);
      command = argv;
      return this;
    }

    /** Takes the command, arguments, environment and mode of a config {@code agents} entry. */
    public Builder agentCommand(AgentCommand value) {
      command(value.command().value(), value.args());
      environment(value.env());
      value.mode().ifPresent(this::mode);
      return this;
    }

    /** The command line as one list, executable first. */
    public Builder command(List<String> argv) {
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("a command needs an executable");
      }
      command = List.copyOf(argv);
      return this;
    }

    /** Adds a variable to the agent's environment (on top of the inherited one). */
    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** Adds variables to the agent's environment (on top of the inherited one). */
    public Builder environment(Map<String, String> values) {
      environment.putAll(values);
      return this;
    }

    /**
     * Replaces the environment the agent inherits (default: this process's). For isolation in tests
     * and embedding; the agent still gets the added variables on top.
     */
    public Builder baseEnvironment(Map<String, String> values) {
      baseEnvironment = Map.copyOf(values);
      return this;
    }

    /** The session mode to switch to after start, unless a request names one. */
    public Builder mode(String value) {
      mode = Objects.requireNonNull(value, "mode");
      return this;
    }

    /** The most one turn may take before it is cancelled (default: no limit). */
    public Builder turnTimeout(Duration value) {
      turnTimeout = positive(value, "turnTimeout");
      return this;
    }

    /**
     * How long an agent may stay silent during a turn (no message, no request being served) before
     * it is cancelled as stuck (default: no limit; the config's {@code stuck_after_sec}).
     */
    public Builder silenceTimeout(Duration value) {
      silenceTimeout = positive(value, "silenceTimeout");
      return this;
    }

    /** The longest message accepted from the agent (default 16 MiB); longer ends the session. */
    public Builder maxLineBytes(int value) {
      if (value < 1024) {
        throw new IllegalArgumentException("maxLineBytes must be at least 1024: " + value);
      }
      maxLineBytes = value;
      return this;
    }

    /** The largest file {@code fs/read_text_file} serves (default 8 MiB). */
    public Builder maxReadBytes(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxReadBytes must be positive: " + value);
      }
      maxReadBytes = value;
      return this;
    }

    /** The most output kept per terminal, whatever the agent asks (default 1 MiB). */
    public Builder terminalOutputLimit(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("terminalOutputLimit must be positive: " + value);
      }
      terminalOutputLimit = value;
      return this;
    }

    /** How many terminals a session may have open at once (default 16). */
    public Builder maxTerminals(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxTerminals must be positive: " + value);
      }
      maxTerminals = value;
      return this;
    }

    /**
     * The clock and timer for budgets, activity and transcript times (default: the system clock,
     * with a timer thread per session).
     */
    public Builder timeSource(TimeSource value) {
      timeSource = Objects.requireNonNull(value, "timeSource");
      return this;
    }

    /**
     * Whether commands run in a sandbox, and what happens where none can be used (default {@link
     * SandboxMode#REQUIRED}: the provider is unavailable there); the config's {@code
     * permissions.sandbox}.
     */
    public Builder sandboxMode(SandboxMode value) {
      sandboxMode = Objects.requireNonNull(value, "sandboxMode");
      return this;
    }

    /**
     * Whether commands the agent runs in the client's terminals may use the network (default no);
     * the config's {@code permissions.allow_network}. The agent's own process always may.
     */
    public Builder allowNetwork(boolean value) {
      allowNetwork = value;
      return this;
    }

    /**
     * Hides a folder or file from every sandboxed command, on top of the user's secrets and
     * Overnight's per-user state folders: e.g. a configured state folder elsewhere.
     */
    public Builder hiddenPath(Path value) {
      hiddenPaths.add(Objects.requireNonNull(value, "hiddenPath"));
      return this;
    }

    /**
     * Lets the agent's sandboxed process write a folder, on top of the ones Overnight knows the
     * agent keeps its settings and caches in (for an agent it does not know).
     */
    public Builder agentFolder(Path value) {
      agentFolders.add(Objects.requireNonNull(value, "agentFolder"));
      return this;
    }

    /**
     * Whether the agent's own process runs in the sandbox (default: for agents that run commands
     * themselves, Claude Code, Codex and Gemini CLI; not for others, whose commands go through the
     * client's terminals, which always run in it).
     */
    public Builder confineAgentProcess(boolean value) {
      confineAgentProcess = value;
      return this;
    }

    /**
     * The sandbox to run commands in (default: the one this machine has, found on first use; see
     * {@link dev.overnight.core.sandbox.Sandboxes#forThisMachine()}).
     */
    public Builder sandbox(Sandbox value) {
      sandbox = Objects.requireNonNull(value, "sandbox");
      return this;
    }

    /** Builds the provider. */
    public AcpAgentProvider build() {
      return new AcpAgentProvider(
          new ProviderSettings(
              id,
              ProviderSettings.profileFor(id),
              Optional.ofNullable(command),
              environment,
              baseEnvironment,
              Optional.ofNullable(mode),
              Optional.ofNullable(turnTimeout),
              Optional.ofNullable(silenceTimeout),
              maxLineBytes,
              maxReadBytes,
              terminalOutputLimit,
              maxTerminals,
              Optional.ofNullable(timeSource),
              new SandboxSettings(
                  sandboxMode,
                  allowNetwork,
                  hiddenPaths,
                  agentFolders,
                  Optional.ofNullable(confineAgentProcess),
                  Optional.ofNullable(sandbox))));
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
