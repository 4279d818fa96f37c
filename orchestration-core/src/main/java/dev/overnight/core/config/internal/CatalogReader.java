package dev.overnight.core.config.internal;

import dev.overnight.api.config.CatalogSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the config's {@code catalog} section: the Nostr relays manifests are published to and
 * discovered on ({@code ws://} or {@code wss://} URIs with a host), and the event kind they travel
 * as (a parameterized-replaceable kind, 30000–39999).
 */
final class CatalogReader {
  private final Problems problems;

  CatalogReader(Problems problems) {
    this.problems = problems;
  }

  CatalogSettings read(JsonObject root) {
    return root.object("catalog").map(this::catalog).orElse(CatalogSettings.none());
  }

  private CatalogSettings catalog(JsonObject c) {
    List<String> texts = c.strings("relays");
    List<URI> relays = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String path = c.pathOf("relays") + "/" + i;
      String text = texts.get(i);
      try {
        URI uri = new URI(text);
        if (!("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme()))
            || uri.getHost() == null) {
          problems.add(path, "\"" + text + "\" is not a relay: use a ws:// or wss:// URL");
        } else {
          relays.add(uri);
        }
      } catch (URISyntaxException e) {
        problems.add(path, "\"" + text + "\" is not a URL: " + e.getReason());
      }
    }
    int kind =
        c.integer("kind", 30000, 39999, "a parameterized-replaceable kind, between 30000 and 39999")
            .map(Long::intValue)
            .orElse(CatalogSettings.DEFAULT_KIND);
    c.finish();
    return new CatalogSettings(relays, kind);
  }
}
