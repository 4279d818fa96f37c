package dev.overnight.api.agent;

import dev.overnight.api.config.PermissionMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Answers an agent's permission requests while nobody is watching.
 *
 * <p>{@link #unattended()} is the default: reads, edits and commands whose every location lies
 * inside the task's worktree are allowed; everything else (network fetches, paths outside the
 * worktree, unknown kinds) is rejected. Independently of the policy, the client confines file
 * access to the worktree, and runs commands (the client's terminals, and agents that run commands
 * themselves) in a sandbox where only the worktree is writable, as the config's {@code
 * permissions.sandbox} asks: a command naming no location is allowed because the sandbox, not the
 * policy, keeps it in.
 *
 * <p>Called on the session's reader thread: implementations must be thread-safe and fast, and must
 * not block. An exception counts as a rejection.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PermissionPolicy {

  /** Decides one request. */
  PermissionDecision decide(PermissionRequest request);

  /** Reads, edits and commands inside the worktree; nothing else. */
  static PermissionPolicy unattended() {
    return unattended(false);
  }

  /** As {@link #unattended()}, optionally also allowing network fetches. */
  static PermissionPolicy unattended(boolean allowFetch) {
    Set<ToolKind> local =
        Set.of(
            ToolKind.READ,
            ToolKind.EDIT,
            ToolKind.DELETE,
            ToolKind.MOVE,
            ToolKind.SEARCH,
            ToolKind.EXECUTE,
            ToolKind.THINK);
    return request -> {
      ToolKind kind = request.toolKind();
      if (kind == ToolKind.FETCH) {
        return allowFetch
            ? PermissionDecision.allow("network fetch allowed by config")
            : PermissionDecision.reject("network fetch is not allowed in unattended runs");
      }
      if (!local.contains(kind)) {
        return PermissionDecision.reject(kind.wireName() + " is not allowed in unattended runs");
      }
      for (String location : request.locations()) {
        if (!isInside(request.worktree(), location)) {
          return PermissionDecision.reject(location + " is outside the worktree");
        }
      }
      return PermissionDecision.allow(kind.wireName() + " inside the worktree");
    };
  }

  /**
   * Reads and searches whose every location lies inside the worktree, and thinking; everything else
   * rejected. What a {@linkplain SessionRequest#readOnly() read-only} session is held to, whatever
   * policy it was given.
   */
  static PermissionPolicy reading() {
    Set<ToolKind> looking = Set.of(ToolKind.READ, ToolKind.SEARCH, ToolKind.THINK);
    return request -> {
      ToolKind kind = request.toolKind();
      if (!looking.contains(kind)) {
        return PermissionDecision.reject(
            kind.wireName() + " is not allowed in a read-only session");
      }
      for (String location : request.locations()) {
        if (!isInside(request.worktree(), location)) {
          return PermissionDecision.reject(location + " is outside the worktree");
        }
      }
      return PermissionDecision.allow(kind.wireName() + " inside the worktree");
    };
  }

  /**
   * This policy held to {@link #reading()}: a request is allowed only if both allow it. The reason
   * given is the first rejection's, else this policy's.
   */
  default PermissionPolicy readingOnly() {
    PermissionPolicy reading = reading();
    return request -> {
      PermissionDecision limit = reading.decide(request);
      if (!limit.allowed()) {
        return limit;
      }
      return decide(request);
    };
  }

  /** Rejects everything. */
  static PermissionPolicy readOnly() {
    return request -> PermissionDecision.reject("read-only policy rejects every request");
  }

  /** Allows everything. Only for agents sandboxed by other means. */
  static PermissionPolicy allowAll() {
    return request -> PermissionDecision.allow("allow-all policy");
  }

  /** The policy a config's {@code permissions} section names. */
  static PermissionPolicy of(PermissionMode mode, boolean allowFetch) {
    return switch (mode) {
      case UNATTENDED -> unattended(allowFetch);
      case READ_ONLY -> readOnly();
      case ALLOW_ALL -> allowAll();
    };
  }

  /**
   * Whether {@code location} (absolute, or relative to {@code root}) lies inside {@code root} once
   * {@code ..} and symbolic links are resolved. Paths that do not exist yet are resolved through
   * their nearest existing parent.
   */
  static boolean isInside(Path root, String location) {
    try {
      Path realRoot = root.toRealPath();
      Path candidate = root.resolve(location).toAbsolutePath().normalize();
      Path existing = candidate;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null) {
        return false;
      }
      Path real = existing.toRealPath().resolve(existing.relativize(candidate)).normalize();
      return real.startsWith(realRoot);
    } catch (IOException | InvalidPathException e) {
      return false;
    }
  }
}
