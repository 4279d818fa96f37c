package dev.overnight.acp.internal;

import dev.overnight.core.process.ProcessGroups;
import dev.overnight.core.process.ProcessIdentity;
import dev.overnight.core.secrets.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's process: started in the worktree with exactly the launch's environment, its stderr
 * copied line by line, secrets redacted, to the log (logger {@code dev.overnight.acp.agent.<id>})
 * with the last lines kept for error messages.
 *
 * <p>It leads a session (and process group) of its own where the machine allows ({@link
 * ProcessGroups}): everything the agent starts, even what escapes its process tree, ends with the
 * group, and a later Overnight can end the group if this one is killed first.
 */
final class AgentProcess {
  private static final int STDERR_LINE_MAX = 8 * 1024;
  private static final int STDERR_TAIL_LINES = 20;

  private final Process process;
  private final Optional<ProcessIdentity> group;
  private final Logger log;
  private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
  private final Thread stderrPump;

  private final Redactor redactor;

  private AgentProcess(
      Process process,
      boolean leadsGroup,
      String agentId,
      ThreadFactory threads,
      Redactor redactor) {
    this.process = process;
    this.group =
        leadsGroup ? Optional.of(ProcessIdentity.of(process.toHandle())) : Optional.empty();
    this.redactor = redactor;
    this.log = LoggerFactory.getLogger("dev.overnight.acp.agent." + agentId);
    this.stderrPump = threads.newThread(this::pumpStderr);
    this.stderrPump.start();
  }

  static AgentProcess start(
      List<String> argv,
      Path directory,
      Map<String, String> environment,
      String agentId,
      ThreadFactory threads,
      Redactor redactor)
      throws IOException {
    ProcessGroups.SessionLauncher launcher = ProcessGroups.launcher();
    ProcessBuilder pb = new ProcessBuilder(launcher.wrap(argv)).directory(directory.toFile());
    // The launch's environment is the whole of it: by default this process's with additions, but
    // a provider given another base (the installed service's, for a rehearsal) must not leak this
    // process's keys into the agent.
    pb.environment().clear();
    pb.environment().putAll(environment);
    return new AgentProcess(pb.start(), launcher.leadsAGroup(), agentId, threads, redactor);
  }

  InputStream stdout() {
    return process.getInputStream();
  }

  OutputStream stdin() {
    return process.getOutputStream();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The process as the leader of its own process group, when it is one. */
  Optional<ProcessIdentity> group() {
    return group;
  }

  /**
   * Kills what is left of the process's group (what its tree no longer reaches: children of
   * children that died, daemonized helpers). Does nothing when it leads no group.
   */
  void killGroup() {
    group.ifPresent(ProcessGroups::kill);
  }

  /** The exit code, waiting up to {@code wait} for the process to end. */
  Optional<Integer> exitCode(Duration wait) {
    try {
      if (process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        return Optional.of(process.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  /** Waits up to {@code wait} for stderr to be read to its end. */
  void awaitStderr(Duration wait) {
    if (Thread.currentThread() == stderrPump) {
      return;
    }
    try {
      stderrPump.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines the agent wrote on stderr, for error messages. */
  String stderrTail() {
    synchronized (stderrTail) {
      return String.join("\n", stderrTail);
    }
  }

  private void pumpStderr() {
    byte[] buf = new byte[8192];
    byte[] line = new byte[STDERR_LINE_MAX];
    int length = 0;
    boolean cut = false;
    try (InputStream err = process.getErrorStream()) {
      int n;
      while ((n = err.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n') {
            emit(line, length, cut);
            length = 0;
            cut = false;
          } else if (length < line.length) {
            line[length++] = b;
          } else {
            cut = true;
          }
        }
      }
      if (length > 0) {
        emit(line, length, cut);
      }
    } catch (IOException e) {
      log.debug("stderr closed: {}", e.toString());
    }
  }

  private void emit(byte[] line, int length, boolean cut) {
    String text =
        redactor.redact(new String(line, 0, length, StandardCharsets.UTF_8).stripTrailing());
    if (cut) {
      text += " …(cut)";
    }
    if (text.isEmpty()) {
      return;
    }
    log.info("{}", text);
    synchronized (stderrTail) {
      stderrTail.addLast(Json.preview(text, 500));
      while (stderrTail.size() > STDERR_TAIL_LINES) {
        stderrTail.removeFirst();
      }
    }
  }
}
