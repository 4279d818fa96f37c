package dev.overnight.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's page, script, style sheet and icon, read once from the class path. A handful of
 * fixed files served from memory: Jetty's ResourceHandler would need the jar mounted as a file
 * system and brings directory listings, ranges and caching this page has no use for.
 */
public final class StaticFiles {
  private static final String ROOT = "/overnight-dashboard/";

  /** A file's bytes and content type. */
  public record File(byte[] bytes, String contentType) {}

  private final Map<String, File> files;

  private StaticFiles(Map<String, File> files) {
    this.files = files;
  }

  /** Loads the dashboard's files. */
  public static StaticFiles load() {
    return new StaticFiles(
        Map.of(
            "/", file("index.html", "text/html; charset=utf-8"),
            "/index.html", file("index.html", "text/html; charset=utf-8"),
            "/app.js", file("app.js", "text/javascript; charset=utf-8"),
            "/app.css", file("app.css", "text/css; charset=utf-8"),
            "/icon.svg", file("icon.svg", "image/svg+xml"),
            "/unauthorized.html", file("unauthorized.html", "text/html; charset=utf-8")));
  }

  /** The file served at {@code path}, if any. */
  public Optional<File> get(String path) {
    return Optional.ofNullable(files.get(path));
  }

  private static File file(String name, String contentType) {
    try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("missing dashboard resource " + ROOT + name);
      }
      return new File(in.readAllBytes(), contentType);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
