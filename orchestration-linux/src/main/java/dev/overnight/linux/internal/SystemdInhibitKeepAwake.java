package dev.overnight.linux.internal;

import dev.overnight.api.KeepAwake;
import dev.overnight.core.time.Durations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the machine awake through a {@code systemd-inhibit --what=idle:sleep --mode=block} child
 * that holds logind's inhibitor lock until its standard input is closed.
 *
 * <p>The child runs {@code sh -c 'echo held && exec cat'} under the lock: {@code systemd-inhibit}
 * starts it only once logind granted the lock, so the {@code held} line proves the lock without
 * guessing from timing. Closing the pipe ends {@code cat} and releases the lock; if the JVM dies,
 * the pipe closes too, so no lock outlives Overnight.
 *
 * <p>Where sleep inhibition is refused (polkit, from a remote session), it falls back to {@code
 * --what=idle} and says so. Where there is no system bus (containers, CI), acquisition returns a
 * handle that holds nothing and logs a warning once. {@code --no-ask-password} is not passed
 * because older systemd (252) lacks it; with standard input a pipe, no password agent is started.
 */
public final class SystemdInhibitKeepAwake implements KeepAwake {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdInhibitKeepAwake.class);
  static final Duration START_TIMEOUT = Duration.ofSeconds(5);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
  private static final String HELD = "held";

  private final LinuxHost host;
  private final List<String> inhibitCommand;
  private final AtomicBoolean warned = new AtomicBoolean();

  /**
   * Creates the keep-awake.
   *
   * @param host tells whether there is a system bus
   * @param inhibitCommand the program (and leading arguments) to run as {@code systemd-inhibit}
   */
  public SystemdInhibitKeepAwake(LinuxHost host, List<String> inhibitCommand) {
    this.host = Objects.requireNonNull(host, "host");
    this.inhibitCommand = List.copyOf(inhibitCommand);
  }

  /** The keep-awake over the real {@code systemd-inhibit}. */
  public static SystemdInhibitKeepAwake system() {
    return new SystemdInhibitKeepAwake(SysfsLinuxHost.system(), List.of("systemd-inhibit"));
  }

  @Override
  public Handle acquire(String reason) {
    if (!host.systemBusAvailable()) {
      return notHeld("no system bus at " + host.systemBusLocation());
    }
    Attempt full = start("idle:sleep", reason);
    if (full.handle != null) {
      return full.handle;
    }
    Attempt idleOnly = start("idle", reason);
    if (idleOnly.handle != null) {
      LOG.warn(
          "systemd-inhibit refused to block sleep ({}); blocking idle only: the machine may still"
              + " suspend on lid close or by its own timer",
          full.failure);
      return idleOnly.handle;
    }
    return notHeld("systemd-inhibit failed: " + full.failure);
  }

  @Override
  public String describe() {
    if (!host.systemBusAvailable()) {
      return "systemd-inhibit (unavailable: no system bus at " + host.systemBusLocation() + ")";
    }
    return "systemd-inhibit --what=idle:sleep --mode=block";
  }

  private Handle notHeld(String why) {
    if (warned.compareAndSet(false, true)) {
      LOG.warn("Cannot keep the machine awake: {}. Cycles run, but the machine may sleep.", why);
    } else {
      LOG.debug("Cannot keep the machine awake: {}", why);
    }
    return new NotHeld(why);
  }

  private record Attempt(InhibitorHandle handle, String failure) {}

  private Attempt start(String what, String reason) {
    List<String> command = new ArrayList<>(inhibitCommand);
    command.add("--what=" + what);
    command.add("--who=Overnight");
    command.add("--why=" + (reason.isBlank() ? "Overnight cycle" : reason));
    command.add("--mode=block");
    command.add("sh");
    command.add("-c");
    command.add("echo " + HELD + " && exec cat");
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      return new Attempt(null, "cannot start " + inhibitCommand.get(0) + ": " + e.getMessage());
    }
    CompletableFuture<String> firstLine = readFirstLine(process.getInputStream());
    CompletableFuture<String> errors = readAll(process.getErrorStream());
    String line = null;
    boolean answered = true;
    try {
      line = firstLine.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answered = false;
    } catch (ExecutionException e) {
      line = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answered = false;
    }
    if (HELD.equals(line)) {
      return new Attempt(new InhibitorHandle(process, what), null);
    }
    // Destroying a process closes its streams, so an ending child is waited for first: its error
    // output is what says why the lock was refused.
    if (answered) {
      try {
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      process.destroyForcibly();
    }
    String err;
    try {
      err = errors.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).strip();
    } catch (TimeoutException | ExecutionException e) {
      err = "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err = "";
    }
    process.destroyForcibly();
    String why =
        line == null && err.isEmpty()
            ? "no answer within " + Durations.human(START_TIMEOUT)
            : err.isEmpty()
                ? "exited without taking the lock"
                : err.lines().findFirst().orElse(err);
    return new Attempt(null, why);
  }

  private static CompletableFuture<String> readFirstLine(InputStream in) {
    CompletableFuture<String> line = new CompletableFuture<>();
    daemon(
        () -> {
          try {
            BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            line.complete(reader.readLine());
            // Keep draining so that the child never blocks on a full pipe.
            while (reader.readLine() != null) {
              // discard
            }
          } catch (IOException e) {
            line.complete(null);
          }
        });
    return line;
  }

  private static CompletableFuture<String> readAll(InputStream in) {
    CompletableFuture<String> all = new CompletableFuture<>();
    daemon(
        () -> {
          try (in) {
            all.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          } catch (IOException e) {
            all.complete("");
          }
        });
    return all;
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "overnight-systemd-inhibit");
    t.setDaemon(true);
    t.start();
  }

  /** A lock held by a running child. */
  public static final class InhibitorHandle implements Handle {
    private final Process process;
    private final String what;
    private final AtomicBoolean closed = new AtomicBoolean();

    InhibitorHandle(Process process, String what) {
      this.process = process;
      this.what = what;
    }

    /** The child holding the lock. */
    public ProcessHandle process() {
      return process.toHandle();
    }

    /** What is inhibited: {@code idle:sleep}, or {@code idle} after a refusal. */
    public String what() {
      return what;
    }

    @Override
    public boolean held() {
      return !closed.get() && process.isAlive();
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        process.getOutputStream().close();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }

    @Override
    public String toString() {
      return "systemd-inhibit --what=" + what + " (pid " + process.pid() + ")";
    }
  }

  /** A handle that holds nothing, with the reason. */
  record NotHeld(String why) implements Handle {
    @Override
    public boolean held() {
      return false;
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "not held: " + why;
    }
  }
}
