package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.acp.AcpAgentSession;
import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.QuotaReading;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.Usage;
import dev.overnight.core.secrets.Redactor;
import dev.overnight.core.time.SystemTimeSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ACP session: the agent process and the connection to it, and the parts that speak the
 * protocol over it. {@link Handshake} brings the session up; {@link Dispatcher} routes what the
 * agent sends to {@link SessionUpdates}, the {@link PermissionBroker}, the file system and the
 * terminals; {@link TurnController} runs the turns within their budgets. What differs between
 * agents comes from their {@link AgentProfile}.
 *
 * <p>Failure model: anything that makes the session unusable (the agent exits, breaks the protocol,
 * or ignores a cancel past its grace period) is <i>fatal</i>: the cause is kept, every pending
 * request and the running turn fail with it, the update stream ends with it, and the process tree
 * is killed at once. A failed turn (an error answer to {@code session/prompt}) is not fatal. {@link
 * #close()} is the only way threads are released, and it always is.
 *
 * <p>Thread-safe. Methods that talk to the agent and wait for its answer block, at most the
 * request's start-up timeout; {@link #close()} blocks while the agent is given its grace period.
 */
public final class AcpSessionImpl implements AcpAgentSession {
  private static final Logger LOG = LoggerFactory.getLogger(AcpSessionImpl.class);
  private static final int EARLY_UPDATES = 10_000;

  /** How long a stopped agent's last stderr lines are waited for. */
  private static final Duration STDERR_WAIT = Duration.ofSeconds(2);

  private final ProviderSettings settings;
  private final SessionRequest request;
  private final String agentId;
  private final AgentProfile profile;
  private final AgentLaunch launch;
  private final SessionThreads threads;
  private final ThreadPoolExecutor workers;
  private final TimeSource time;
  private final Redactor redactor;
  private final Transcript transcript;
  private final TerminalService terminals;
  private final UpdateStream<SessionUpdate> stream;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final UsageLedger usage = new UsageLedger();
  private final SessionModes modes = new SessionModes();
  private final AuthStatusWatch authStatus = new AuthStatusWatch();
  private final TurnController turns;
  private final Dispatcher dispatcher;

  private AgentLink link;
  private RpcCalls calls;

  private volatile String sessionId;
  private volatile AgentInfo agentInfo =
      new AgentInfo("unknown", Optional.empty(), Optional.empty(), 0);
  private volatile boolean starting = true;

  private AcpSessionImpl(ProviderSettings settings, SessionRequest request, AgentLaunch launch) {
    this.settings = settings;
    this.request = request;
    this.agentId = settings.id();
    this.profile = settings.profile();
    this.launch = launch;
    this.threads = new SessionThreads(agentId);
    this.workers = threads.workers();
    // The runtime's time (virtual in tests) when the provider was given it; else the process's.
    // Timer actions only send a notification or end a process: short enough for a shared timer.
    this.time = settings.timeSource().orElseGet(SystemTimeSource::shared);
    this.redactor = Redactor.forEnvironment(launch.environment());
    this.transcript =
        request
            .transcriptDirectory()
            .map(dir -> new Transcript(dir, agentId, time, redactor))
            .orElse(Transcript.NONE);
    this.terminals =
        new TerminalService(
            launch.confinement(),
            launch.sandbox(),
            launch.environment(),
            settings.terminalOutputLimit(),
            settings.maxTerminals(),
            threads.factory("terminal"));
    this.stream = new UpdateStream<>(threads.factory("updates"), EARLY_UPDATES);
    this.turns =
        new TurnController(
            agentId,
            new TurnController.Budgets(
                settings.turnTimeout(), settings.silenceTimeout(), request.cancelGrace()),
            time,
            transcript,
            usage,
            profile.extensions(),
            this::requestsInFlight,
            closed::get,
            this::classify,
            this::fatal);
    ToolCalls toolCalls = new ToolCalls();
    this.dispatcher =
        new Dispatcher(
            agentId,
            () -> sessionId,
            profile.extensions(),
            authStatus,
            new SessionUpdates(profile.extensions(), toolCalls, usage, modes, stream),
            new PermissionBroker(
                agentId,
                launch.confinement().root(),
                request.readOnly()
                    ? request.permissionPolicy().readingOnly()
                    : request.permissionPolicy(),
                toolCalls,
                transcript,
                () -> sessionId,
                turns::cancelling),
            new FileSystemService(
                launch.confinement(), settings.maxReadBytes(), profile.missingFileReadsEmpty()),
            terminals,
            request.readOnly(),
            transcript,
            redactor,
            this::fatal,
            this::agentGone);
  }

  /**
   * Starts the agent and a session ({@code initialize}, {@code authenticate} when needed, {@code
   * session/new} or {@code session/load}, the mode). On any failure nothing is left running.
   */
  public static AcpSessionImpl open(
      ProviderSettings settings, SessionRequest request, Optional<String> loadSessionId) {
    AcpSessionImpl session =
        new AcpSessionImpl(settings, request, AgentLaunch.prepare(settings, request));
    try {
      session.start(loadSessionId);
      return session;
    } catch (AgentException e) {
      throw session.abandon(e);
    } catch (RuntimeException | Error e) {
      session.transcript.startupFailed();
      session.shutdown(Duration.ZERO);
      throw e;
    }
  }

  /**
   * Ends a session that did not start, and says why where a person will look: the agent's last
   * stderr lines are attached to the error ({@link AgentException#agentOutput()}), and both go to
   * the transcript (a note {@code startup_failed}) and the log as well as to the caller. An agent
   * refusing {@code session/new} usually says why only on stderr (a wrong key, a missing model).
   */
  private AgentException abandon(AgentException cause) {
    shutdown(Duration.ZERO, false);
    String tail = link == null ? "" : link.stderrTail(STDERR_WAIT);
    cause.withAgentOutput(tail);
    ObjectNode note = Transcript.noteOf("startup_failed");
    note.put("error", cause.getMessage());
    note.put("type", cause.getClass().getSimpleName());
    cause.agentOutput().ifPresent(o -> note.put("stderr", o));
    transcript.note(note);
    transcript.startupFailed();
    transcript.close();
    LOG.warn("{} did not start: {}", agentId, redactor.redact(cause.withOutput()));
    return cause;
  }

  /** The inherited environment plus the provider's, the config's and the request's additions. */
  public static Map<String, String> effectiveEnvironment(
      ProviderSettings settings, SessionRequest request) {
    return AgentLaunch.environment(settings, request);
  }

  /** The command line to run, with its executable found on PATH. */
  public static List<String> resolveCommand(ProviderSettings settings, Map<String, String> env) {
    return AgentLaunch.command(settings, env);
  }

  private void start(Optional<String> loadSessionId) {
    long deadline = System.nanoTime() + request.startupTimeout().toNanos();
    link =
        AgentLink.launch(
            agentId,
            launch,
            threads,
            redactor,
            settings.maxLineBytes(),
            workers,
            transcript,
            time,
            dispatcher);
    link.startReading(threads);
    calls =
        new RpcCalls(
            agentId,
            link.channel(),
            request.startupTimeout(),
            () -> starting,
            this::fatal,
            this::classify);
    Handshake.Ready ready =
        new Handshake(agentId, profile, launch.environment(), calls, modes, authStatus, this::named)
            .run(
                new Handshake.Target(
                    launch.confinement().root(),
                    request.mcpServers(),
                    // A configured mode may let the agent act without asking; a read-only session
                    // takes only the mode the request itself names.
                    request.readOnly() ? request.mode() : request.mode().or(settings::mode),
                    loadSessionId,
                    request.readOnly()),
                deadline);
    agentInfo = ready.agentInfo();
    starting = false;
    LOG.info(
        "{} session {} started in {} ({} {})",
        agentId,
        sessionId,
        launch.confinement().root(),
        agentInfo.name(),
        agentInfo.version().orElse(""));
  }

  /**
   * The agent named the session: from now on its requests must name it, and it has a transcript.
   */
  private void named(String id) {
    sessionId = id;
    transcript.sessionStarted(id);
  }

  private AgentException classify(String method, RpcException e) {
    return ErrorClassifier.classify(
        profile, agentId, method, e, usage.limitReset(), Optional.of(time.instant()));
  }

  private int requestsInFlight() {
    return dispatcher.requestsInFlight();
  }

  /** The agent's output ended: it exited or closed stdout. Fatal unless the session is closing. */
  private void agentGone(IOException error) {
    if (closed.get()) {
      return;
    }
    fatal(
        link.crashed(
            error,
            () ->
                starting ? "while starting" : turns.running() ? "during a turn" : "between turns"));
  }

  /** Makes the session unusable with {@code cause}; kills the agent. Idempotent. */
  private void fatal(AgentException cause) {
    boolean first =
        turns.fail(
            cause,
            () -> {
              if (!closed.get()) {
                LOG.warn(
                    "{} session {} failed: {}",
                    agentId,
                    sessionId,
                    redactor.redact(cause.getMessage()));
              }
              ObjectNode note = Transcript.noteOf("session_failed");
              note.put("error", cause.getMessage());
              note.put("type", cause.getClass().getSimpleName());
              transcript.note(note);
              if (link != null) {
                link.fail(cause);
              }
            });
    if (!first) {
      return;
    }
    stream.fail(cause);
    if (link != null) {
      link.kill();
    }
    terminals.close();
  }

  @Override
  public void close() {
    shutdown(request.cancelGrace());
  }

  private void shutdown(Duration grace) {
    shutdown(grace, true);
  }

  /**
   * Ends the agent and frees the threads; the transcript too, unless a caller still writes to it.
   */
  private void shutdown(Duration grace, boolean closeTranscript) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (link != null) {
      boolean cancelTurn = turns.running() && turns.failure().isEmpty() && sessionId != null;
      link.close(
          grace,
          cancelTurn ? Optional.of(sessionId) : Optional.empty(),
          new AgentException(agentId + " session " + sessionId + " was closed"));
    }
    turns.close(
        new AgentException(agentId + " session " + sessionId + " was closed during a turn"));
    terminals.close();
    stream.complete();
    workers.shutdown();
    if (!threads.isOwn(Thread.currentThread())) {
      threads.join(10_000);
    }
    if (closeTranscript) {
      transcript.close();
    }
  }

  @Override
  public CompletableFuture<AgentOutcome> prompt(String text) {
    return turns.prompt(link.channel(), sessionId, text);
  }

  @Override
  public void cancel() {
    turns.cancel();
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public String agentId() {
    return agentId;
  }

  @Override
  public Flow.Publisher<SessionUpdate> updates() {
    return stream;
  }

  @Override
  public void setMode(String modeId) {
    turns
        .failure()
        .ifPresent(
            failed -> {
              throw failed;
            });
    modeSwitch().setMode(modeId, calls.deadline());
  }

  @Override
  public void setConfigOption(String configId, String value) {
    modeSwitch().setConfigOption(configId, value, calls.deadline());
  }

  private ModeSwitch modeSwitch() {
    return new ModeSwitch(calls, modes, agentId, sessionId);
  }

  @Override
  public Instant lastActivity() {
    return link.channel().lastActivity();
  }

  @Override
  public Usage usage() {
    return usage.total();
  }

  @Override
  public Optional<QuotaReading> quotaReading() {
    return usage.quota();
  }

  @Override
  public boolean isAlive() {
    return link != null && link.isAlive() && turns.failure().isEmpty() && !closed.get();
  }

  @Override
  public AgentInfo agentInfo() {
    return agentInfo;
  }

  @Override
  public List<Mode> modes() {
    return modes.modes();
  }

  @Override
  public Optional<String> currentMode() {
    return modes.current();
  }

  @Override
  public List<ConfigOption> configOptions() {
    return modes.configOptions();
  }

  @Override
  public Optional<String> model() {
    return modes.model();
  }

  @Override
  public Optional<Path> transcript() {
    return transcript.file();
  }

  @Override
  public ProcessHandle process() {
    return link.handle();
  }

  @Override
  public Optional<ProcessHandle> processGroupLeader() {
    return link.groupLeader();
  }

  /** The prefix of every thread this session starts (for leak checks). */
  public String threadNamePrefix() {
    return threads.prefix();
  }

  /** The most bytes the reader held for one line (for the bounded-memory guarantee). */
  public long lineBufferHighWater() {
    return link.lineBufferHighWater();
  }

  @Override
  public String toString() {
    return "AcpSession[" + agentId + " " + sessionId + "]";
  }
}
