package dev.overnight.api.agent;

import dev.overnight.api.queue.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link AgentProvider#open} needs to start a session.
 *
 * @param workingDirectory the task's worktree; the agent's cwd and the boundary of its file and
 *     terminal access
 * @param permissionPolicy how permission requests are answered
 * @param mcpServers MCP servers for the session
 * @param mode a session mode to switch to after the session starts
 * @param environment variables added to the inherited environment of the agent process
 * @param transcriptDirectory where the session's JSONL transcript is written, if anywhere
 * @param taskId the task the session works on, if any
 * @param startupTimeout how long start-up ({@code initialize}, {@code authenticate}, {@code
 *     session/new}) may take
 * @param cancelGrace after {@code session/cancel}, how long before the process tree is killed
 * @param hiddenPaths folders and files the agent's sandbox must not show, on top of what the
 *     provider hides itself (the user's secrets); e.g. Overnight's state folder with its database,
 *     dashboard token and the other tasks' worktrees
 * @param readOnly whether the session may only look: the client then offers the agent no file
 *     writes and no terminals, refuses such requests if they come anyway, and answers every
 *     permission request that is not a read or search inside the working directory with a
 *     rejection, whatever {@link #permissionPolicy()} would say. For sessions that judge rather
 *     than change (planning a night, reviewing a result): repository text the agent reads cannot
 *     talk it into acting, because the client gives it nothing to act with
 * @since 0.1.0
 */
public record SessionRequest(
    Path workingDirectory,
    PermissionPolicy permissionPolicy,
    List<McpServer> mcpServers,
    Optional<String> mode,
    Map<String, String> environment,
    Optional<Path> transcriptDirectory,
    Optional<TaskId> taskId,
    Duration startupTimeout,
    Duration cancelGrace,
    List<Path> hiddenPaths,
    boolean readOnly) {

  /** Validates and copies the components. */
  public SessionRequest {
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(permissionPolicy, "permissionPolicy");
    mcpServers = List.copyOf(mcpServers);
    Objects.requireNonNull(mode, "mode");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(transcriptDirectory, "transcriptDirectory");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    Objects.requireNonNull(cancelGrace, "cancelGrace");
    hiddenPaths = List.copyOf(hiddenPaths);
  }

  /** Starts a request for a working directory, with the unattended policy and defaults. */
  public static Builder builder(Path workingDirectory) {
    return new Builder(workingDirectory);
  }

  /** Builds a {@link SessionRequest}. Not thread-safe. */
  public static final class Builder {
    private final Path workingDirectory;
    private PermissionPolicy permissionPolicy = PermissionPolicy.unattended();
    private List<McpServer> mcpServers = List.of();
    private Optional<String> mode = Optional.empty();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Optional<Path> transcriptDirectory = Optional.empty();
    private Optional<TaskId> taskId = Optional.empty();
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Duration cancelGrace = Duration.ofSeconds(30);
    private final List<Path> hiddenPaths = new ArrayList<>();
    private boolean readOnly;

    private Builder(Path workingDirectory) {
      this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
    }

    /** Sets the permission policy (default {@link PermissionPolicy#unattended()}). */
    public Builder permissionPolicy(PermissionPolicy value) {
      permissionPolicy = Objects.requireNonNull(value, "permissionPolicy");
      return this;
    }

    /** Sets the MCP servers (default none). */
    public Builder mcpServers(List<McpServer> value) {
      mcpServers = Objects.requireNonNull(value, "mcpServers");
      return this;
    }

    /** Sets the mode to switch to after start. */
    public Builder mode(String value) {
      mode = Optional.of(value);
      return this;
    }

    /** Adds an environment variable for the agent process. */
    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** Adds environment variables for the agent process. */
    public Builder environment(Map<String, String> values) {
      environment.putAll(values);
      return this;
    }

    /** Sets where the transcript goes. */
    public Builder transcriptDirectory(Path value) {
      transcriptDirectory = Optional.of(value);
      return this;
    }

    /** Sets the task the session works on. */
    public Builder taskId(TaskId value) {
      taskId = Optional.of(value);
      return this;
    }

    /** Sets the start-up timeout (default 60 s). */
    public Builder startupTimeout(Duration value) {
      startupTimeout = Objects.requireNonNull(value, "startupTimeout");
      return this;
    }

    /** Sets the cancel grace period (default 30 s). */
    public Builder cancelGrace(Duration value) {
      cancelGrace = Objects.requireNonNull(value, "cancelGrace");
      return this;
    }

    /**
     * Adds a folder or file the agent's sandbox must not show (default: none beyond the
     * provider's).
     */
    public Builder hiddenPath(Path value) {
      hiddenPaths.add(Objects.requireNonNull(value, "hiddenPath"));
      return this;
    }

    /**
     * Makes the session read-only (default: the agent may change its working directory): no file
     * writes, no terminals, and no permission granted beyond reads inside it.
     */
    public Builder readOnly() {
      readOnly = true;
      return this;
    }

    /** Builds the request. */
    public SessionRequest build() {
      return new SessionRequest(
          workingDirectory,
          permissionPolicy,
          mcpServers,
          mode,
          environment,
          transcriptDirectory,
          taskId,
          startupTimeout,
          cancelGrace,
          hiddenPaths,
          readOnly);
    }
  }
}
