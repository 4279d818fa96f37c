package dev.overnight.server;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a daemon is behind a dashboard: whether one runs on the state folder, and whether this
 * dashboard's run now, pause and resume reach it. A dashboard served over a state folder alone says
 * so instead of pretending to run or pause.
 *
 * @param running whether a daemon runs on the state folder
 * @param controls whether run now, pause and resume reach it from this dashboard
 * @param note what the page says about it: why the controls do not work, where the daemon's own
 *     dashboard is; empty when the controls work and there is nothing to add
 * @since 0.1.0
 */
public record DaemonPresence(boolean running, boolean controls, Optional<String> note) {

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException for controls without a daemon, or controls that do not work
   *     without a note saying why
   */
  public DaemonPresence {
    Objects.requireNonNull(note, "note");
    if (controls && !running) {
      throw new IllegalArgumentException("controls need a running daemon");
    }
    if (!controls && note.filter(n -> !n.isBlank()).isEmpty()) {
      throw new IllegalArgumentException("say why the controls do not work");
    }
  }

  /** The dashboard runs inside the daemon: its controls work. */
  public static DaemonPresence attached() {
    return new DaemonPresence(true, true, Optional.empty());
  }

  /** No daemon runs on the state folder; {@code note} says what the page shows instead. */
  public static DaemonPresence absent(String note) {
    return new DaemonPresence(false, false, Optional.of(note));
  }

  /** A daemon runs on the state folder, out of this dashboard's reach; {@code note} says where. */
  public static DaemonPresence elsewhere(String note) {
    return new DaemonPresence(true, false, Optional.of(note));
  }
}
