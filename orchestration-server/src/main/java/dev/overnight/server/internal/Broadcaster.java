package dev.overnight.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Fans every message out to the connected WebSocket clients and keeps the last ones for clients
 * that connect later.
 *
 * <p>Publishing never blocks and never writes to a socket: it numbers the message, stores it in the
 * replay ring and appends it to each client's bounded queue; each client drains its own queue on
 * the server's threads. So an agent that publishes is never slowed by a client, and a stalled
 * client only loses its own oldest messages.
 *
 * <p>Every message is a JSON object: {@code type}, {@code id} and the published object as {@code
 * data}; ids increase by one per message, so a client sees exactly where it lost messages. The
 * {@code hello} and {@code gap} notices carry their fields in {@code data} too, without an id.
 */
public final class Broadcaster {
  private final int replaySize;
  private final InstantSource clock;
  private final ArrayDeque<String> ring = new ArrayDeque<>();
  private final Set<WsClient> clients = new LinkedHashSet<>();
  private long lastId;
  private List<Pending> seeding;

  /** A message published while the history is being loaded, and its identity for de-duplication. */
  private record Pending(String type, String body, String key) {}

  /**
   * A broadcaster.
   *
   * @param replaySize how many of the last messages a new client receives first
   * @param clock the clock for the timestamps of the hello and gap messages
   */
  public Broadcaster(int replaySize, InstantSource clock) {
    this.replaySize = replaySize;
    this.clock = clock;
  }

  /** Publishes a message to every client. Never blocks. */
  public void publish(String type, ObjectNode body) {
    publish(type, body, null);
  }

  /**
   * Publishes a message that may also be part of the history loaded at start ({@code key}
   * identifies it, e.g. a session id and sequence), so that it is sent once.
   */
  public void publish(String type, ObjectNode body, String key) {
    String json = Json.write(body);
    List<WsClient> targets;
    synchronized (this) {
      if (seeding != null) {
        seeding.add(new Pending(type, json, key));
        return;
      }
      targets = append(type, json);
    }
    targets.forEach(WsClient::wake);
  }

  /** Holds live messages back until {@link #finishSeeding}, to put the history before them. */
  public synchronized void startSeeding() {
    seeding = new ArrayList<>();
  }

  /**
   * Publishes the history loaded at start, then the live messages held back meanwhile, except those
   * already in the history.
   *
   * @param type the history's message type
   * @param history the history's messages with their keys, oldest first
   */
  public void finishSeeding(String type, List<java.util.Map.Entry<String, ObjectNode>> history) {
    List<WsClient> targets = new ArrayList<>();
    synchronized (this) {
      Set<String> seen = new HashSet<>();
      for (var entry : history) {
        seen.add(entry.getKey());
        targets = append(type, Json.write(entry.getValue()));
      }
      for (Pending p : seeding) {
        if (p.key() == null || !seen.contains(p.key())) {
          targets = append(p.type(), p.body());
        }
      }
      seeding = null;
    }
    targets.forEach(WsClient::wake);
  }

  /** Numbers a message, keeps it for replay and queues it for every client. Holds the lock. */
  private List<WsClient> append(String type, String body) {
    long id = ++lastId;
    String message = envelope(type, id, body);
    ring.addLast(message);
    while (ring.size() > replaySize) {
      ring.removeFirst();
    }
    for (WsClient c : clients) {
      c.enqueue(message);
    }
    return List.copyOf(clients);
  }

  private static String envelope(String type, long id, String body) {
    // body is already serialized, once for every client: wrap the text rather than the tree.
    return "{\"type\":\"" + type + "\",\"id\":" + id + ",\"data\":" + body + "}";
  }

  private static String notice(String type, ObjectNode data) {
    ObjectNode message = Json.object();
    message.put("type", type);
    message.set("data", data);
    return Json.write(message);
  }

  /** Registers a new client: it receives a hello, the replay, then every live message. */
  void register(WsClient client) {
    synchronized (this) {
      ObjectNode hello = Json.object();
      hello.put("at", clock.instant().toString());
      hello.put("replay", ring.size());
      hello.put("last_id", lastId);
      client.enqueue(notice("hello", hello));
      for (String message : ring) {
        client.enqueue(message);
      }
      clients.add(client);
    }
    client.wake();
  }

  /** Forgets a client that closed or failed. */
  synchronized void unregister(WsClient client) {
    clients.remove(client);
  }

  /** The connected clients. */
  public synchronized List<WsClient> clients() {
    return List.copyOf(clients);
  }

  /** A gap notice: {@code dropped} messages were dropped for a slow client. */
  String gap(long dropped) {
    ObjectNode gap = Json.object();
    gap.put("at", clock.instant().toString());
    gap.put("dropped", dropped);
    return notice("gap", gap);
  }
}
