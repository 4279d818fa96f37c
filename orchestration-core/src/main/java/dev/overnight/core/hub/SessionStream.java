package dev.overnight.core.hub;

import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.queue.TaskId;
import java.util.List;
import java.util.Optional;

/**
 * The live stream of every agent session of a runtime, as monitoring code reads it: subscribe to
 * all sessions or one, and look up sessions and their recent updates. A late subscriber first gets
 * what the stream retained, then live updates; a slow one loses its oldest buffered items, never
 * holding up the agents or other subscribers.
 *
 * <p>Thread-safe. Subscribing never blocks; subscribers are called on the stream's delivery threads
 * and should return quickly.
 *
 * @since 0.1.0
 */
public interface SessionStream {

  /**
   * Subscribes to every session: the retained events of every known session first (oldest first),
   * then everything published from now on.
   */
  HubSubscription subscribe(HubSubscriber subscriber);

  /** Subscribes to one session: its retained events first, then its live ones. */
  HubSubscription subscribe(String sessionId, HubSubscriber subscriber);

  /** The session, if the stream knows it (ended sessions are kept for a while). */
  Optional<HubSession> session(String sessionId);

  /** Every known session, in the order the stream first heard of them. */
  List<HubSession> sessions();

  /** The sessions that worked on a task, oldest first. */
  List<HubSession> sessionsOf(TaskId taskId);

  /** The events the stream still holds for a session, oldest first. */
  List<SessionEvent> recent(String sessionId);

  /** How many subscriptions are open now, to every session or to one. */
  int subscriberCount();

  /**
   * How many items the stream has dropped so far, over all subscribers, because a subscriber fell
   * behind by more than its buffer.
   */
  long droppedCount();
}
