package dev.overnight.core.hub;

import dev.overnight.api.agent.SessionEvent;
import java.util.Objects;

/**
 * What a {@link HubSubscriber} receives: an event, a marker saying that older items were dropped
 * because the subscriber fell behind, or the end of a session.
 *
 * @since 0.1.0
 */
public sealed interface HubItem {

  /** One session update with its envelope. */
  record Event(SessionEvent event) implements HubItem {
    /** Validates the event. */
    public Event {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * The subscriber fell behind and {@code dropped} items were discarded, oldest first, right before
   * the next item it receives. Per-session {@link SessionEvent#sequence()} numbers show which
   * updates of a session are missing.
   *
   * @param dropped how many items were discarded, at least 1
   */
  record Gap(long dropped) implements HubItem {
    /** Validates the count. */
    public Gap {
      if (dropped < 1) {
        throw new IllegalArgumentException("a gap drops at least one item: " + dropped);
      }
    }
  }

  /** The session ended: no more events will follow for it. */
  record Ended(HubSession session) implements HubItem {
    /** Validates the session. */
    public Ended {
      Objects.requireNonNull(session, "session");
    }
  }
}
