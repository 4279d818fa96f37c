package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Keeps an agent's file and terminal access inside its worktree: a path is accepted only if, once
 * made absolute, normalised ({@code ..} removed) and with every symbolic link of its existing part
 * resolved, it still lies inside the worktree's real path. Immutable and thread-safe.
 */
final class Confinement {
  private final Path root;

  /**
   * @param worktree the worktree; must exist
   */
  Confinement(Path worktree) throws IOException {
    this.root = worktree.toRealPath();
  }

  Path root() {
    return root;
  }

  /**
   * The real location of {@code path} (absolute, or relative to the worktree), or an error naming
   * why it is refused.
   */
  Path resolve(String path) throws RpcException {
    if (path == null || path.isEmpty()) {
      throw refusal(path, "no path given");
    }
    if (path.indexOf('\0') >= 0) {
      throw refusal(path, "the path contains a NUL character");
    }
    Path candidate;
    try {
      candidate = root.resolve(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw refusal(path, "not a valid path");
    }
    if (!candidate.startsWith(root)) {
      throw refusal(path, "it is outside the worktree " + root);
    }
    Path real = realLocation(candidate, path);
    if (!real.startsWith(root)) {
      throw refusal(path, "it leads outside the worktree " + root + " (to " + real + ")");
    }
    return real;
  }

  /** Follows the links of the existing part of {@code candidate}; the rest is kept as written. */
  private static Path realLocation(Path candidate, String original) throws RpcException {
    Path existing = candidate;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return candidate;
    }
    try {
      Path real = existing.toRealPath();
      return real.resolve(existing.relativize(candidate)).normalize();
    } catch (IOException e) {
      // A dangling link: where it points cannot be checked, so it is refused.
      throw refusal(original, "it goes through a link that cannot be resolved (" + e + ")");
    }
  }

  private static RpcException refusal(String path, String why) {
    ObjectNode data = Json.object();
    data.put("path", path);
    data.put("reason", "outside_worktree");
    return new RpcException(
        RpcException.INVALID_PARAMS, "Access refused to " + path + ": " + why, data);
  }
}
