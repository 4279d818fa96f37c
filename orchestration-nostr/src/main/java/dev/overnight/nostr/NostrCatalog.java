package dev.overnight.nostr;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.config.CatalogSettings;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.nostr.internal.RelayConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Pipeline manifests over Nostr: {@link #publish} signs a manifest as a parameterized-replaceable
 * event (NIP-01, NIP-33: its name is the {@code d} tag, so publishing again replaces it) and sends
 * it to every configured relay; {@link #search} lists the manifests relays hold; {@link #fetch}
 * gets the one an {@link Naddr} names. Every event read from a relay is checked — its id
 * recomputed, its signature verified, its address matched — and one that fails is refused, never
 * used.
 *
 * <p>Thread-safe (it holds no connection between calls); every call blocks on the network, each
 * relay step for at most the timeout.
 *
 * @since 0.1.0
 */
public final class NostrCatalog {
  /** The topic ({@code t} tag) every manifest Overnight publishes carries. */
  public static final String TOPIC = "overnight-pipeline";

  /**
   * The largest event published, in bytes of its JSON: what relays commonly accept (many refuse
   * more, some close the connection).
   */
  public static final int MAX_EVENT_BYTES = 64 * 1024;

  /** The default wait for each step with a relay. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final int SEARCH_LIMIT = 500;

  private final CatalogSettings settings;
  private final Clock clock;
  private final Duration timeout;

  private NostrCatalog(CatalogSettings settings, Clock clock, Duration timeout) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** A catalog on the config's relays and kind, stamping events with {@code clock}'s time. */
  public static NostrCatalog of(CatalogSettings settings, Clock clock) {
    return new NostrCatalog(settings, clock, DEFAULT_TIMEOUT);
  }

  /** This catalog, waiting at most {@code timeout} for each step with a relay. */
  public NostrCatalog withTimeout(Duration timeout) {
    return new NostrCatalog(settings, clock, timeout);
  }

  /**
   * A manifest as the catalog lists it.
   *
   * @param address its address
   * @param name its name (the {@code d} tag)
   * @param description its summary
   * @param topics its topics, beyond {@link #TOPIC}
   * @param event the verified event it came in
   * @since 0.1.0
   */
  public record Listing(
      Naddr address, String name, String description, List<String> topics, NostrEvent event) {
    /** Checks presence and copies. */
    public Listing {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
      topics = List.copyOf(topics);
      Objects.requireNonNull(event, "event");
    }

    /** The manifest's text. */
    public String manifest() {
      return event.content();
    }
  }

  /**
   * What publishing did.
   *
   * @param event the signed event
   * @param address its address, with the relays that took it
   * @param accepted the relays that took it, with their message
   * @param refused the relays that refused it or could not be reached, with why
   * @since 0.1.0
   */
  public record Published(
      NostrEvent event, Naddr address, Map<URI, String> accepted, Map<URI, String> refused) {
    /** Checks presence and copies. */
    public Published {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(address, "address");
      accepted = Map.copyOf(accepted);
      refused = Map.copyOf(refused);
    }
  }

  /**
   * What a search found.
   *
   * @param listings the manifests, newest first, one per author and name
   * @param problems what went wrong on the way: a relay unreachable, an event refused
   * @since 0.1.0
   */
  public record Found(List<Listing> listings, List<String> problems) {
    /** Copies. */
    public Found {
      listings = List.copyOf(listings);
      problems = List.copyOf(problems);
    }
  }

  /**
   * Signs a manifest and sends it to every configured relay.
   *
   * @param identity the key to sign with
   * @param name the manifest's name: its {@code d} tag, which a later publish of the same name
   *     replaces
   * @param description its summary
   * @param topics topics to find it by ({@code t} tags), beyond {@link #TOPIC}
   * @param manifest the manifest's text, the event's content
   * @throws NostrException if no relay is configured, the event is over {@link #MAX_EVENT_BYTES},
   *     or no relay took it (every relay's reason is in the message)
   */
  public Published publish(
      NostrIdentity identity,
      String name,
      String description,
      List<String> topics,
      String manifest) {
    requireRelays();
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("d", name));
    tags.add(List.of("t", TOPIC));
    new LinkedHashSet<>(topics)
        .stream()
            .filter(t -> !t.equals(TOPIC))
            .forEach(t -> tags.add(List.of("t", t.toLowerCase(Locale.ROOT))));
    tags.add(List.of("title", name));
    tags.add(List.of("summary", description));
    tags.add(List.of("alt", "Overnight pipeline manifest: " + name));
    NostrEvent event =
        identity.sign(clock.instant().getEpochSecond(), settings.kind(), tags, manifest);
    ArrayNode message = OvernightJson.array().add("EVENT").add(event.toJson());
    int bytes = OvernightJson.write(message).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_EVENT_BYTES) {
      throw new NostrException(
          "the manifest's event is "
              + bytes
              + " bytes; relays take at most "
              + MAX_EVENT_BYTES
              + ": make the manifest smaller");
    }
    Map<URI, String> accepted = new LinkedHashMap<>();
    Map<URI, String> refused = new LinkedHashMap<>();
    for (URI relay : settings.relays()) {
      try (RelayConnection c = RelayConnection.open(relay, timeout)) {
        c.send(message);
        Optional<String> refusal = awaitOk(c, event.id());
        if (refusal.isPresent()) {
          refused.put(relay, refusal.get());
        } else {
          accepted.put(relay, "accepted");
        }
      } catch (NostrException e) {
        refused.put(relay, e.getMessage());
      }
    }
    if (accepted.isEmpty()) {
      throw new NostrException("no relay took the manifest " + name + ": " + reasons(refused));
    }
    Naddr address =
        new Naddr(name, identity.publicKey(), settings.kind(), List.copyOf(accepted.keySet()));
    return new Published(event, address, accepted, refused);
  }

  /**
   * The manifests on the configured relays, with {@code topic} when given, whose name, summary or
   * topics contain every word of {@code words} (case-insensitive).
   *
   * @throws NostrException if no relay is configured or none answered
   */
  public Found search(List<String> words, Optional<String> topic) {
    requireRelays();
    ObjectNode filter = OvernightJson.object();
    filter.putArray("kinds").add(settings.kind());
    filter.putArray("#t").add(topic.map(t -> t.toLowerCase(Locale.ROOT)).orElse(TOPIC));
    filter.put("limit", SEARCH_LIMIT);
    List<String> problems = new ArrayList<>();
    List<Listing> all = new ArrayList<>();
    int answered = 0;
    for (URI relay : settings.relays()) {
      try {
        for (NostrEvent e : query(relay, filter, problems)) {
          listing(e, relay).ifPresent(all::add);
        }
        answered++;
      } catch (NostrException e) {
        problems.add(e.getMessage());
      }
    }
    if (answered == 0) {
      throw new NostrException("no relay answered: " + String.join("; ", problems));
    }
    List<String> wanted = words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
    Map<String, Listing> newest = new LinkedHashMap<>();
    all.stream()
        .filter(l -> l.event().tagValues("t").contains(TOPIC))
        .filter(
            l -> {
              String text =
                  (l.name() + " " + l.description() + " " + String.join(" ", l.topics()))
                      .toLowerCase(Locale.ROOT);
              return wanted.stream().allMatch(text::contains);
            })
        .sorted(Comparator.comparingLong((Listing l) -> l.event().createdAt()).reversed())
        .forEach(l -> newest.putIfAbsent(l.event().pubkey() + "/" + l.name(), l));
    return new Found(List.copyOf(newest.values()), problems);
  }

  /**
   * The manifest {@code address} names: the newest sound event of its kind, author and identifier
   * on the configured relays and the address's own.
   *
   * @throws NostrException if no relay has it, or every copy found fails its checks (the message
   *     says which relay sent what)
   */
  public Listing fetch(Naddr address) {
    Set<URI> relays = new LinkedHashSet<>(settings.relays());
    relays.addAll(address.relays());
    if (relays.isEmpty()) {
      throw new NostrException(
          "no relay to ask: the address names none; add catalog.relays to the config");
    }
    ObjectNode filter = OvernightJson.object();
    filter.putArray("kinds").add(address.kind());
    filter.putArray("authors").add(address.author());
    filter.putArray("#d").add(address.identifier());
    List<String> problems = new ArrayList<>();
    Optional<Listing> newest = Optional.empty();
    for (URI relay : relays) {
      try {
        for (NostrEvent e : query(relay, filter, problems)) {
          if (e.kind() != address.kind()
              || !e.pubkey().equals(address.author())
              || !e.tag("d").orElse("").equals(address.identifier())) {
            problems.add(
                "the relay "
                    + relay
                    + " sent event "
                    + e.id()
                    + ", which is not at this address; refused");
            continue;
          }
          Optional<Listing> l = listing(e, relay);
          if (l.isPresent()
              && (newest.isEmpty() || newest.get().event().createdAt() < e.createdAt())) {
            newest = l;
          }
        }
      } catch (NostrException e) {
        problems.add(e.getMessage());
      }
    }
    return newest.orElseThrow(
        () ->
            new NostrException(
                "no sound event for "
                    + address.identifier()
                    + " by "
                    + address.author().substring(0, 12)
                    + " on "
                    + relays
                    + (problems.isEmpty() ? ": not found" : ": " + String.join("; ", problems))));
  }

  private Optional<Listing> listing(NostrEvent e, URI relay) {
    Optional<String> name = e.tag("d");
    if (name.isEmpty()) {
      return Optional.empty();
    }
    Naddr address = new Naddr(name.get(), e.pubkey(), e.kind(), List.of(relay));
    List<String> topics = e.tagValues("t").stream().filter(t -> !t.equals(TOPIC)).toList();
    return Optional.of(new Listing(address, name.get(), e.tag("summary").orElse(""), topics, e));
  }

  /**
   * The sound events {@code relay} holds for {@code filter}; those failing their checks are named
   * in {@code problems} and left out.
   */
  private List<NostrEvent> query(URI relay, ObjectNode filter, List<String> problems) {
    String subscription = "overnight-" + UUID.randomUUID().toString().substring(0, 8);
    List<NostrEvent> events = new ArrayList<>();
    try (RelayConnection c = RelayConnection.open(relay, timeout)) {
      c.send(OvernightJson.array().add("REQ").add(subscription).add(filter));
      while (true) {
        ArrayNode m = c.next();
        String type = m.get(0).asText();
        if (type.equals("EOSE") && m.path(1).asText().equals(subscription)) {
          c.send(OvernightJson.array().add("CLOSE").add(subscription));
          return events;
        }
        if (type.equals("CLOSED") && m.path(1).asText().equals(subscription)) {
          throw new NostrException(
              "the relay " + relay + " refused the search: " + m.path(2).asText());
        }
        if (type.equals("EVENT") && m.path(1).asText().equals(subscription)) {
          NostrEvent e;
          try {
            e = NostrEvent.fromJson(m.get(2));
          } catch (IllegalArgumentException bad) {
            problems.add(
                "the relay " + relay + " sent an event that is not one: " + bad.getMessage());
            continue;
          }
          Optional<String> problem = e.problem();
          if (problem.isPresent()) {
            problems.add(
                "the relay "
                    + relay
                    + " sent event "
                    + e.id()
                    + " that fails its checks: "
                    + problem.get()
                    + "; refused");
          } else {
            events.add(e);
          }
        }
      }
    }
  }

  /** Waits for the relay's {@code OK} for {@code id}: empty when accepted, else its reason. */
  private static Optional<String> awaitOk(RelayConnection c, String id) {
    List<String> notices = new ArrayList<>();
    while (true) {
      ArrayNode m;
      try {
        m = c.next();
      } catch (NostrException e) {
        // Some relays say why in a notice, then close or never send OK: the notice is the reason.
        throw notices.isEmpty()
            ? e
            : new NostrException(e.getMessage() + "; it said: " + String.join("; ", notices), e);
      }
      String type = m.get(0).asText();
      if (type.equals("OK") && m.path(1).asText().equals(id)) {
        return m.path(2).asBoolean(false)
            ? Optional.empty()
            : Optional.of("refused it: " + m.path(3).asText("no reason given"));
      }
      if (type.equals("NOTICE")) {
        notices.add(m.path(1).asText());
      }
    }
  }

  private void requireRelays() {
    if (settings.relays().isEmpty()) {
      throw new NostrException(
          "no relays configured: add \"catalog\": {\"relays\": [\"wss://…\"]} to the config");
    }
  }

  private static String reasons(Map<URI, String> refused) {
    List<String> out = new ArrayList<>();
    refused.forEach(
        (relay, why) -> out.add(why.contains(relay.toString()) ? why : relay + " " + why));
    return String.join("; ", out);
  }

  @Override
  public String toString() {
    return "NostrCatalog" + settings.relays();
  }
}
