package dev.overnight.api.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the commands agents run, and agents that run commands themselves, are confined to a
 * sandbox (bubblewrap on Linux, {@code sandbox-exec} on macOS): the task's worktree writable, the
 * rest of the machine read-only, Overnight's state folders and the user's secrets invisible.
 *
 * @since 0.1.0
 */
public enum SandboxMode {
  /**
   * The default: every agent command runs in the sandbox; where no sandbox is available, no task
   * starts and the agents say why.
   */
  REQUIRED("required"),
  /** Confine where a sandbox is available; elsewhere warn and run unconfined. */
  BEST_EFFORT("best_effort"),
  /** Never confine: agents' commands can read and write whatever the user can. */
  OFF("off");

  private final String jsonName;

  SandboxMode(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The value as written in the config file. */
  public String jsonName() {
    return jsonName;
  }

  /** Parses a config value. */
  public static Optional<SandboxMode> parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (SandboxMode m : values()) {
      if (m.jsonName.equals(t)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
