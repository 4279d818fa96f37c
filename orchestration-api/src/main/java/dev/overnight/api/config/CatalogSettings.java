package dev.overnight.api.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Where pipeline manifests are published and discovered ({@code overnight catalog}): the Nostr
 * relays to use and the event kind manifests travel as.
 *
 * <p>Immutable.
 *
 * @param relays the relays, {@code ws://} or {@code wss://} URIs, in order; none by default (the
 *     catalog commands then say to configure some)
 * @param kind the parameterized-replaceable event kind (30000–39999) of a manifest; {@link
 *     #DEFAULT_KIND} by default
 * @since 0.1.0
 */
public record CatalogSettings(List<URI> relays, int kind) {
  /** NIP-78's kind for application data: a manifest is Overnight's. */
  public static final int DEFAULT_KIND = 30078;

  /** Validates and copies. */
  public CatalogSettings {
    relays = List.copyOf(relays);
    relays.forEach(
        r -> {
          String scheme = Objects.requireNonNull(r, "relay").getScheme();
          if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new IllegalArgumentException("a relay is a ws:// or wss:// URI, not " + r);
          }
        });
    if (kind < 30000 || kind > 39999) {
      throw new IllegalArgumentException(
          "kind must be a parameterized-replaceable kind (30000-39999), was " + kind);
    }
  }

  /** No relays, the default kind. */
  public static CatalogSettings none() {
    return new CatalogSettings(List.of(), DEFAULT_KIND);
  }
}
