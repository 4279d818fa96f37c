package dev.overnight.server;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.Subscription;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.server.internal.AccessGuard;
import dev.overnight.server.internal.ApiRoutes;
import dev.overnight.server.internal.Broadcaster;
import dev.overnight.server.internal.DashboardHandler;
import dev.overnight.server.internal.JsonErrorHandler;
import dev.overnight.server.internal.StaticFiles;
import dev.overnight.server.internal.TokenStore;
import dev.overnight.server.internal.WsClient;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overnight's monitoring server: the dashboard page, the JSON API under {@code /api/} and the
 * WebSocket stream at {@code /ws}, over one {@link DashboardBackend}.
 *
 * <pre>{@code
 * try (DashboardServer server =
 *     DashboardServer.builder(backend).stateDirectory(stateDir).build().start()) {
 *   System.out.println("Dashboard: " + server.url());
 *   ...
 * }
 * }</pre>
 *
 * <p><b>The stream.</b> Every message is a JSON object with {@code type} ({@code session}, {@code
 * scheduler}, {@code coordinator}, {@code queue}), an {@code id} that increases by one per message,
 * and {@code data}: the session event, scheduler event, coordinator event or task event in its
 * canonical shape ({@link dev.overnight.core.json.OvernightJson}). A client first receives {@code
 * {"type":"hello","data":{"replay":N,"last_id":L,...}}}, then the last N messages (ids up to L),
 * then live ones. A client too slow to keep up loses its oldest waiting messages, announced by
 * {@code {"type":"gap","data":{"dropped":K,...}}}; one that stops reading is disconnected after the
 * idle timeout. Neither slows the publisher or the other clients. The messages' JSON Schema is
 * {@code docs/schema/stream-message.schema.json}.
 *
 * <p><b>Security.</b> Binds 127.0.0.1 by default. Every request needs the token (created on first
 * start in the state folder's {@code dashboard-token}, owner-only): {@code Authorization: Bearer},
 * the cookie a browser receives on its first visit to {@link #url()}, or a {@code token} query
 * parameter. The cookie is named after the port and holds a value derived from the token for that
 * port, not the token: browsers send a host's cookies to every port of it, so other servers on
 * 127.0.0.1 receive it, and it must open nothing but this dashboard. WebSocket upgrades and changes
 * must come from the dashboard's own origin. Binding another address is possible and logged as a
 * warning.
 *
 * <p><b>Bad requests.</b> Every error, from the API or from Jetty itself (malformed, oversized or
 * ambiguous requests), is answered as JSON {@code {"error": ..., "message": ...}}; no answer names
 * the server's software. {@code HEAD} is answered wherever {@code GET} is. A request's body is read
 * without holding a thread, up to 64 KiB and within the {@linkplain Builder#readTimeout read
 * timeout}.
 *
 * <p>Thread-safe. {@link #start()} binds or throws {@link OrchestrationException}; {@link #close()}
 * stops serving and unsubscribes from the backend. A server starts once: after {@code close()},
 * build another.
 *
 * @since 0.1.0
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

  private final DashboardBackend backend;
  private final String bind;
  private final int requestedPort;
  private final String token;
  private final Optional<Path> tokenFile;
  private final InstantSource clock;
  private final int replaySize;
  private final int clientQueueSize;
  private final Duration idleTimeout;
  private final Duration readTimeout;
  private final Set<String> allowedOrigins;
  private final Broadcaster broadcaster;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final Optional<AutoCloseable> ownedBackend;
  private Server server;
  private ServerConnector connector;
  private Scheduler.Task pinger;
  private volatile boolean running;
  private boolean closed;

  private DashboardServer(Builder b) {
    this.backend = b.backend;
    this.bind = b.bind;
    this.requestedPort = b.port;
    this.token =
        b.token != null
            ? b.token
            : b.stateDirectory != null
                ? TokenStore.loadOrCreate(b.stateDirectory)
                : TokenStore.newToken();
    this.tokenFile =
        b.token == null && b.stateDirectory != null
            ? Optional.of(b.stateDirectory.resolve(TokenStore.FILE_NAME))
            : Optional.empty();
    this.clock = b.clock;
    this.replaySize = b.replaySize;
    this.clientQueueSize = Math.max(b.clientQueueSize, b.replaySize + 16);
    this.idleTimeout = b.idleTimeout;
    this.readTimeout = b.readTimeout;
    this.allowedOrigins = Set.copyOf(b.allowedOrigins);
    this.broadcaster = new Broadcaster(replaySize, clock);
    this.ownedBackend = Optional.ofNullable(b.ownedBackend);
  }

  /** Starts configuring a server over a backend. */
  public static Builder builder(DashboardBackend backend) {
    return new Builder(backend);
  }

  /**
   * Starts configuring the dashboard of a runtime: its queue, scheduler, coordinator and session
   * stream through an {@link InMemoryDashboardBackend#forRuntime attached backend}, its state
   * folder's token and its clock. Closing the server detaches the backend; the runtime stays up.
   *
   * <pre>{@code
   * try (OvernightRuntime overnight = OvernightRuntime.builder(config).build();
   *     DashboardServer dashboard = DashboardServer.forRuntime(overnight).build().start()) {
   *   overnight.start();
   *   System.out.println("Dashboard: " + dashboard.url());
   *   ...
   * }
   * }</pre>
   */
  public static Builder forRuntime(OvernightRuntime runtime) {
    InMemoryDashboardBackend backend = InMemoryDashboardBackend.forRuntime(runtime).build();
    Builder b =
        new Builder(backend).stateDirectory(runtime.paths().root()).clock(runtime.timeSource());
    b.ownedBackend = backend;
    return b;
  }

  /**
   * Binds and starts serving; subscribes to the backend's events.
   *
   * @return this server
   * @throws OrchestrationException if the address cannot be bound
   * @throws IllegalStateException if already started
   */
  public synchronized DashboardServer start() {
    if (server != null || closed) {
      throw new IllegalStateException(
          "the dashboard server is " + (closed ? "closed" : "already started"));
    }
    InetAddress address = resolve(bind);
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("overnight-dashboard");
    threads.setDaemon(true);
    Server s = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector c = new ServerConnector(s, 1, 1, new HttpConnectionFactory(http));
    c.setHost(bind);
    c.setPort(requestedPort);
    // Between requests and within one; a WebSocket takes its own idle timeout once upgraded.
    c.setIdleTimeout(readTimeout.toMillis());
    s.addConnector(c);
    s.setErrorHandler(new JsonErrorHandler());

    WebSocketUpgradeHandler upgrades = new WebSocketUpgradeHandler();
    upgrades.getConfiguration().setIdleTimeout(idleTimeout);
    upgrades.getConfiguration().setMaxTextMessageSize(4096);
    upgrades.addMapping(
        "/ws",
        new WebSocketNegotiator.AbstractNegotiator() {
          @Override
          public FrameHandler negotiate(
              ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
            return new WsClient(broadcaster, threads, clientQueueSize);
          }
        });
    upgrades.setHandler(
        new DashboardHandler(
            new ApiRoutes(backend, () -> broadcaster.clients().size(), clock),
            backend,
            StaticFiles.load()));
    boolean loopback = address.isLoopbackAddress();
    AccessGuard guard =
        new AccessGuard(
            token,
            loopback,
            new LinkedHashSet<>(List.of(hostLiteral(address), bind.toLowerCase(Locale.ROOT))),
            allowedOrigins,
            StaticFiles.load().get("/unauthorized.html").orElseThrow().bytes());
    guard.setHandler(upgrades);
    s.setHandler(guard);
    // Stopping cuts open connections at once: a dashboard has nothing worth draining.
    s.setStopTimeout(0);

    subscribe();
    try {
      s.start();
    } catch (Exception e) {
      unsubscribe();
      try {
        s.stop();
      } catch (Exception ignored) {
        // Nothing more to release.
      }
      throw new OrchestrationException(
          "Could not start the dashboard on " + bind + ":" + requestedPort + ": " + e.getMessage(),
          e);
    }
    server = s;
    connector = c;
    running = true;
    long pingMillis = Math.max(50, idleTimeout.toMillis() / 3);
    pinger = schedulePings(s.getScheduler(), pingMillis);
    if (!loopback) {
      LOG.warn(
          "The dashboard listens on {}:{}, reachable from other machines: anyone with the token"
              + " can watch and control Overnight. Prefer 127.0.0.1 with an SSH tunnel.",
          bind,
          port());
    }
    LOG.info("Dashboard at {}", baseUri());
    return this;
  }

  private Scheduler.Task schedulePings(Scheduler scheduler, long millis) {
    return scheduler.schedule(
        () -> {
          if (running) {
            broadcaster.clients().forEach(WsClient::ping);
            pinger = schedulePings(scheduler, millis);
          }
        },
        millis,
        TimeUnit.MILLISECONDS);
  }

  private void subscribe() {
    broadcaster.startSeeding();
    subscriptions.add(
        backend.subscribeSessions(
            e -> broadcaster.publish("session", OvernightJson.sessionEvent(e), key(e))));
    subscriptions.add(
        backend.subscribeScheduler(
            e -> broadcaster.publish("scheduler", OvernightJson.schedulerEvent(e))));
    subscriptions.add(
        backend.subscribeCoordinator(
            e -> broadcaster.publish("coordinator", OvernightJson.coordinatorEvent(e))));
    subscriptions.add(
        backend
            .taskQueue()
            .subscribe(e -> broadcaster.publish("queue", OvernightJson.taskEvent(e))));
    List<SessionEvent> history = backend.recentSessionEvents(replaySize);
    broadcaster.finishSeeding(
        "session",
        history.stream().map(e -> Map.entry(key(e), OvernightJson.sessionEvent(e))).toList());
  }

  private static String key(SessionEvent e) {
    return e.sessionId() + "#" + e.sequence();
  }

  private void unsubscribe() {
    subscriptions.forEach(Subscription::close);
    subscriptions.clear();
  }

  /** The port the server listens on (the one chosen when the builder said 0). */
  public synchronized int port() {
    requireStarted();
    return connector.getLocalPort();
  }

  /** The dashboard's address, without the token. */
  public synchronized URI baseUri() {
    requireStarted();
    return URI.create("http://" + urlHost() + ":" + port() + "/");
  }

  /**
   * The dashboard's address with the token as a query parameter: open it once in a browser, which
   * then keeps the token in a cookie.
   */
  public synchronized URI url() {
    return URI.create(baseUri() + "?token=" + token);
  }

  /** The WebSocket stream's address (the token goes in a header, a cookie or a query parameter). */
  public synchronized URI webSocketUri() {
    return URI.create("ws://" + urlHost() + ":" + port() + "/ws");
  }

  /** The access token. */
  public String token() {
    return token;
  }

  /**
   * The owner-only file the token is kept in, when it comes from a state folder: where to point a
   * user to whose output must not show the token itself (a service's journal).
   */
  public Optional<Path> tokenFile() {
    return tokenFile;
  }

  /** How many WebSocket clients are connected now. */
  public int connectedClients() {
    return broadcaster.clients().size();
  }

  /** Messages dropped for slow clients, summed over the clients connected now. */
  public long droppedMessages() {
    return broadcaster.clients().stream().mapToLong(WsClient::droppedTotal).sum();
  }

  /**
   * Stops serving, disconnects every client and unsubscribes from the backend (detaching a backend
   * made by {@link #forRuntime}). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (!closed) {
      ownedBackend.ifPresent(DashboardServer::closeQuietly);
    }
    closed = true;
    if (server == null) {
      return;
    }
    running = false;
    unsubscribe();
    if (pinger != null) {
      pinger.cancel();
    }
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("The dashboard did not stop cleanly: {}", e.toString());
    }
    server = null;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("Could not detach the dashboard's backend: {}", e.toString());
    }
  }

  private void requireStarted() {
    if (server == null) {
      throw new IllegalStateException("the dashboard server is not running");
    }
  }

  private String urlHost() {
    InetAddress address = resolve(bind);
    if (address.isAnyLocalAddress()) {
      return address instanceof Inet6Address ? "[::1]" : "127.0.0.1";
    }
    return hostLiteral(address);
  }

  private static String hostLiteral(InetAddress address) {
    String literal = address.getHostAddress();
    if (address instanceof Inet6Address) {
      int scope = literal.indexOf('%');
      return "[" + (scope < 0 ? literal : literal.substring(0, scope)) + "]";
    }
    return literal;
  }

  private static InetAddress resolve(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new OrchestrationException("Unknown address to bind the dashboard to: " + host, e);
    }
  }

  /** Builds a {@link DashboardServer}. Not thread-safe. */
  public static final class Builder {
    private final DashboardBackend backend;
    private String bind = "127.0.0.1";
    private int port;
    private Path stateDirectory;
    private String token;
    private InstantSource clock = InstantSource.system();
    private int replaySize = 500;
    private int clientQueueSize = 2000;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration readTimeout = Duration.ofSeconds(10);
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
    private AutoCloseable ownedBackend;

    private Builder(DashboardBackend backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * The address to listen on (default {@code 127.0.0.1}). Any other address exposes the dashboard
     * beyond this machine, protected by the token only; the server logs a warning.
     */
    public Builder bind(String value) {
      bind = Objects.requireNonNull(value, "bind");
      return this;
    }

    /** The port (default 0: a free port, see {@link DashboardServer#port()}). */
    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + value);
      }
      port = value;
      return this;
    }

    /**
     * The state folder, where the token is kept in {@code dashboard-token} (created on first start,
     * owner-only). Without it, and without {@link #token(String)}, each start makes a new token.
     */
    public Builder stateDirectory(Path value) {
      stateDirectory = Objects.requireNonNull(value, "stateDirectory");
      return this;
    }

    /** A token to use instead of the state folder's, at least 16 characters. */
    public Builder token(String value) {
      Objects.requireNonNull(value, "token");
      if (value.length() < 16 || !value.matches("[A-Za-z0-9._~-]+")) {
        throw new IllegalArgumentException(
            "a token needs at least 16 characters among letters, digits and . _ ~ -");
      }
      token = value;
      return this;
    }

    /** The clock for the stream's own timestamps (default: the system clock). */
    public Builder clock(InstantSource value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** How many of the last messages a client receives on connecting (default 500). */
    public Builder replaySize(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("replaySize must be >= 0, was " + value);
      }
      replaySize = value;
      return this;
    }

    /**
     * How many messages may wait for one client before its oldest are dropped (default 2000; at
     * least the replay size plus 16).
     */
    public Builder clientQueueSize(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("clientQueueSize must be >= 1, was " + value);
      }
      clientQueueSize = value;
      return this;
    }

    /**
     * How long a WebSocket connection may make no progress before it is closed (default 60 s). The
     * server pings every client three times per period, so only a client that stopped reading
     * reaches it.
     */
    public Builder idleTimeout(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive, was " + value);
      }
      idleTimeout = value;
      return this;
    }

    /**
     * How long an HTTP connection may send nothing before it is closed (default 10 s, far more than
     * a dashboard's small requests need): a request whose body stops arriving is answered 408
     * first; an idle connection between requests is simply closed. No thread waits meanwhile: a
     * client that stops sending holds its connection only. WebSocket connections have {@link
     * #idleTimeout} instead.
     */
    public Builder readTimeout(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("readTimeout must be positive, was " + value);
      }
      readTimeout = value;
      return this;
    }

    /**
     * Another origin allowed to open the WebSocket and send controls, e.g. {@code
     * https://overnight.example.org} behind a reverse proxy. The dashboard's own origin always is.
     */
    public Builder allowedOrigin(String value) {
      allowedOrigins.add(
          Objects.requireNonNull(value, "allowedOrigin").strip().toLowerCase(Locale.ROOT));
      return this;
    }

    /**
     * Builds the server, reading or creating the token.
     *
     * @throws OrchestrationException if the token cannot be read or created
     */
    public DashboardServer build() {
      return new DashboardServer(this);
    }
  }
}
