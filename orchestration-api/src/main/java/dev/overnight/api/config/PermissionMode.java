package dev.overnight.api.config;

import java.util.Locale;
import java.util.Optional;

/**
 * The built-in answers to an agent's permission requests; see {@code PermissionPolicy}.
 *
 * @since 0.1.0
 */
public enum PermissionMode {
  /**
   * The default for unattended runs: allow reads, edits and commands inside the task's worktree,
   * reject everything else.
   */
  UNATTENDED("unattended"),
  /** Reject every request: the agent may only think and talk. */
  READ_ONLY("read_only"),
  /** Allow every request. Only for agents sandboxed by other means. */
  ALLOW_ALL("allow_all");

  private final String jsonName;

  PermissionMode(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The value as written in the config file. */
  public String jsonName() {
    return jsonName;
  }

  /** Parses a config value. */
  public static Optional<PermissionMode> parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (PermissionMode p : values()) {
      if (p.jsonName.equals(t)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
