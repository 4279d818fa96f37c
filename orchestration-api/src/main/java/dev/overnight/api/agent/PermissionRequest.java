package dev.overnight.api.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An agent asks whether it may perform a tool call.
 *
 * @param sessionId the session asking
 * @param worktree the task's worktree: the only place the unattended policy lets agents act
 * @param toolCallId the tool call in question
 * @param title what the tool call does, for people
 * @param toolKind what kind of action it is
 * @param locations files it touches, as the agent reported them (may be relative or outside the
 *     worktree)
 * @param rawInput the tool's input as raw JSON, when sent
 * @param options the answers the agent offers
 * @since 0.1.0
 */
public record PermissionRequest(
    String sessionId,
    Path worktree,
    String toolCallId,
    String title,
    ToolKind toolKind,
    List<String> locations,
    Optional<String> rawInput,
    List<PermissionOption> options) {

  /** Validates and copies the components. */
  public PermissionRequest {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(worktree, "worktree");
    Objects.requireNonNull(toolCallId, "toolCallId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(toolKind, "toolKind");
    locations = List.copyOf(locations);
    Objects.requireNonNull(rawInput, "rawInput");
    options = List.copyOf(options);
  }
}
