package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.sandbox.SandboxUnavailableException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the {@code terminal/*} methods: commands the agent runs through the client, in the
 * session's sandbox (the worktree writable, the rest read-only, secrets and Overnight's state
 * hidden, no network unless allowed), with their working directory confined to the worktree, their
 * output kept up to a byte limit (the oldest bytes go first, cut at a character boundary, as ACP
 * specifies), and their whole process tree killed on {@code terminal/kill}, on {@code
 * terminal/release} and when the session ends. Thread-safe.
 */
final class TerminalService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TerminalService.class);
  private static final Duration KILL_GRACE = Duration.ofSeconds(1);

  private final Confinement confinement;
  private final SessionSandbox sandbox;
  private final Map<String, String> environment;
  private final long maxOutputBytes;
  private final int maxTerminals;
  private final ThreadFactory threads;
  private final Map<String, Terminal> terminals = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile boolean closed;

  /** Terminals whose commands run unconfined: for tests of everything around the sandbox. */
  TerminalService(
      Confinement confinement,
      Map<String, String> environment,
      long maxOutputBytes,
      int maxTerminals,
      ThreadFactory threads) {
    this(
        confinement,
        SessionSandbox.unconfined(confinement.root()),
        environment,
        maxOutputBytes,
        maxTerminals,
        threads);
  }

  /**
   * @param sandbox what every command runs in
   * @param environment variables added to the inherited environment of every command
   * @param maxOutputBytes the most output kept per terminal, whatever the agent asks
   */
  TerminalService(
      Confinement confinement,
      SessionSandbox sandbox,
      Map<String, String> environment,
      long maxOutputBytes,
      int maxTerminals,
      ThreadFactory threads) {
    this.confinement = confinement;
    this.sandbox = sandbox;
    this.environment = Map.copyOf(environment);
    this.maxOutputBytes = maxOutputBytes;
    this.maxTerminals = maxTerminals;
    this.threads = threads;
  }

  JsonNode create(JsonNode params) throws RpcException {
    if (closed) {
      throw new RpcException(RpcException.INTERNAL_ERROR, "Internal error: the session is ending");
    }
    String command = Json.text(params, "command", null);
    if (command == null || command.isBlank()) {
      throw new RpcException(RpcException.INVALID_PARAMS, "Invalid params: command is required");
    }
    if (terminals.size() >= maxTerminals) {
      throw new RpcException(
          RpcException.INTERNAL_ERROR,
          "Internal error: at most "
              + maxTerminals
              + " terminals may be open at once; release one first");
    }
    List<String> args = new ArrayList<>();
    for (JsonNode a : params.path("args")) {
      args.add(a.asText());
    }
    Path cwd =
        Json.text(params, "cwd").isPresent()
            ? confinement.resolve(Json.text(params, "cwd", null))
            : confinement.root();
    if (!Files.isDirectory(cwd)) {
      throw new RpcException(
          RpcException.INVALID_PARAMS, "Invalid params: cwd " + cwd + " is not a directory");
    }
    long requested = params.path("outputByteLimit").asLong(0);
    long limit = requested > 0 ? Math.min(requested, maxOutputBytes) : maxOutputBytes;

    List<String> argv = new ArrayList<>();
    if (args.isEmpty() && command.chars().anyMatch(Character::isWhitespace) && !isFile(command)) {
      // Some agents send a whole shell command line as the command.
      argv.addAll(List.of("/bin/sh", "-c", command));
    } else {
      argv.add(command);
      argv.addAll(args);
    }
    List<String> confined;
    try {
      confined = sandbox.terminalCommand(argv, cwd);
    } catch (SandboxUnavailableException e) {
      throw new RpcException(RpcException.INTERNAL_ERROR, "Internal error: " + e.getMessage());
    }
    ProcessBuilder pb =
        new ProcessBuilder(confined).directory(cwd.toFile()).redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.putAll(environment);
    for (JsonNode e : params.path("env")) {
      Json.text(e, "name").ifPresent(name -> env.put(name, Json.text(e, "value", "")));
    }
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new RpcException(
          RpcException.INTERNAL_ERROR,
          "Internal error: cannot run " + command + ": " + e.getMessage());
    }
    String id = "term-" + ids.incrementAndGet();
    Terminal t = new Terminal(id, process, new TailBuffer(limit));
    terminals.put(id, t);
    t.pump = threads.newThread(() -> pump(t));
    t.pump.start();
    if (closed) {
      t.kill();
    }
    ObjectNode result = Json.object();
    result.put("terminalId", id);
    return result;
  }

  JsonNode output(JsonNode params) throws RpcException {
    Terminal t = terminal(params);
    ObjectNode result = Json.object();
    TailBuffer.Snapshot s = t.output.snapshot();
    result.put("output", s.text());
    result.put("truncated", s.truncated());
    if (!t.process.isAlive()) {
      joinPump(t);
      result.set("exitStatus", exitStatus(t));
    }
    return result;
  }

  JsonNode waitForExit(JsonNode params) throws RpcException {
    Terminal t = terminal(params);
    try {
      t.process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(RpcException.INTERNAL_ERROR, "Internal error: interrupted");
    }
    joinPump(t);
    return exitStatus(t);
  }

  JsonNode kill(JsonNode params) throws RpcException {
    terminal(params).kill();
    return Json.object();
  }

  JsonNode release(JsonNode params) throws RpcException {
    Terminal t = terminal(params);
    terminals.remove(t.id);
    t.kill();
    return Json.object();
  }

  /** Kills every terminal's process tree. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (Terminal t : terminals.values()) {
      t.kill();
      joinPump(t);
    }
    terminals.clear();
  }

  /** Processes of the terminals still open, for diagnostics and tests. */
  List<ProcessHandle> processes() {
    List<ProcessHandle> out = new ArrayList<>();
    for (Terminal t : terminals.values()) {
      out.add(t.process.toHandle());
    }
    return out;
  }

  private Terminal terminal(JsonNode params) throws RpcException {
    String id = Json.text(params, "terminalId", "");
    Terminal t = terminals.get(id);
    if (t == null) {
      ObjectNode data = Json.object();
      data.put("terminalId", id);
      throw new RpcException(
          RpcException.RESOURCE_NOT_FOUND, "Resource not found: no terminal " + id, data);
    }
    return t;
  }

  private static ObjectNode exitStatus(Terminal t) {
    ObjectNode status = Json.object();
    if (t.killedWith != null) {
      status.putNull("exitCode");
      status.put("signal", t.killedWith);
    } else {
      status.put("exitCode", t.process.exitValue());
      status.putNull("signal");
    }
    return status;
  }

  private static void pump(Terminal t) {
    byte[] buf = new byte[8192];
    try (InputStream in = t.process.getInputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        t.output.append(buf, n);
      }
    } catch (IOException e) {
      LOG.debug("{}: output ended: {}", t.id, e.toString());
    }
  }

  private static void joinPump(Terminal t) {
    try {
      Thread pump = t.pump;
      if (pump != null && pump != Thread.currentThread()) {
        pump.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isFile(String command) {
    try {
      return Files.isRegularFile(Path.of(command));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static final class Terminal {
    final String id;
    final Process process;
    final TailBuffer output;
    volatile Thread pump;
    volatile String killedWith;

    Terminal(String id, Process process, TailBuffer output) {
      this.id = id;
      this.process = process;
      this.output = output;
    }

    synchronized void kill() {
      if (process.isAlive()) {
        killedWith = "SIGKILL";
        ProcessTree.kill(process.toHandle(), KILL_GRACE);
        try {
          process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else if (!process.toHandle().descendants().findAny().isEmpty()) {
        ProcessTree.kill(process.toHandle(), Duration.ZERO);
      }
    }
  }

  /**
   * The last {@code limit} bytes of a command's output. Memory grows with the output up to twice
   * the limit, never beyond.
   */
  static final class TailBuffer {
    private final long limit;
    private final int cap;
    private byte[] bytes = new byte[1024];
    private int length;
    private long total;

    record Snapshot(String text, boolean truncated) {}

    TailBuffer(long limit) {
      this.limit = Math.max(1, limit);
      this.cap = (int) Math.min(Integer.MAX_VALUE - 16, this.limit * 2);
    }

    synchronized void append(byte[] data, int n) {
      total += n;
      if (n >= limit) {
        // This chunk alone fills the window.
        int keep = (int) limit;
        ensure(keep);
        System.arraycopy(data, n - keep, bytes, 0, keep);
        length = keep;
        return;
      }
      if (length + n > cap) {
        int keep = (int) Math.min(length, limit - n);
        System.arraycopy(bytes, length - keep, bytes, 0, keep);
        length = keep;
      }
      ensure(length + n);
      System.arraycopy(data, 0, bytes, length, n);
      length += n;
    }

    synchronized Snapshot snapshot() {
      int start = (int) Math.max(0, length - limit);
      boolean truncated = total > limit;
      if (truncated) {
        // Never start in the middle of a UTF-8 character.
        while (start < length && (bytes[start] & 0xC0) == 0x80) {
          start++;
        }
      }
      return new Snapshot(
          new String(bytes, start, length - start, StandardCharsets.UTF_8), truncated);
    }

    private void ensure(int capacity) {
      if (capacity > bytes.length) {
        int grown = (int) Math.min(bytes.length * 2L, cap);
        bytes = java.util.Arrays.copyOf(bytes, Math.max(capacity, grown));
      }
    }
  }
}
