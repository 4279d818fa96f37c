package dev.overnight.core.pipeline;

import java.util.Objects;

/**
 * Where an installed manifest is fetched from: a git repository, the manifest's path inside it, and
 * the branch or tag to fetch, written {@code <git-url>[//path]@<ref>} on the command line (e.g.
 * {@code https://example.org/team/pipelines.git//upgrade.yaml@v1}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param url the repository, as git takes it ({@code https://}, {@code ssh://}, {@code file://},
 *     {@code git@host:path})
 * @param path the manifest's path inside the repository, relative, {@link #DEFAULT_PATH} when not
 *     given
 * @param ref the branch or tag fetched
 * @since 0.1.0
 */
public record ManifestSource(String url, String path, String ref) {
  /** The manifest's path when the spec names none. */
  public static final String DEFAULT_PATH = "pipeline.yaml";

  /** Validates: a URL, a ref git accepts as one name, and a relative path that stays inside. */
  public ManifestSource {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(ref, "ref");
    if (url.isBlank() || url.startsWith("-")) {
      throw new IllegalArgumentException("no repository URL before //path@ref");
    }
    if (ref.isBlank() || ref.startsWith("-") || ref.contains("..") || ref.contains(" ")) {
      throw new IllegalArgumentException(
          "\"" + ref + "\" is not a branch or tag name (after the last @)");
    }
    if (path.isBlank()
        || path.startsWith("/")
        || path.startsWith("-")
        || ("/" + path + "/").contains("/../")) {
      throw new IllegalArgumentException(
          "\"" + path + "\" is not a path inside the repository (after //)");
    }
  }

  /**
   * Reads {@code <git-url>[//path]@<ref>}. The ref follows the last {@code @}; the path follows the
   * first {@code //} after the URL's scheme.
   *
   * @throws IllegalArgumentException when the spec has no {@code @ref}, or a part is not valid
   */
  public static ManifestSource parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    int at = spec.lastIndexOf('@');
    int scheme = spec.indexOf("://");
    int afterScheme = scheme < 0 ? 0 : scheme + 3;
    // An @ inside a URL's authority (ssh://git@host/...) or an scp-like git@host:path is a user.
    int authorityEnd = scheme < 0 ? 0 : spec.indexOf('/', afterScheme);
    if (at < 0
        || at == spec.length() - 1
        || (scheme >= 0 && (authorityEnd < 0 || at < authorityEnd))
        || spec.substring(at + 1).contains(":")) {
      throw new IllegalArgumentException(
          "\"" + spec + "\" has no @ref: write <git-url>[//path]@<branch-or-tag>");
    }
    String ref = spec.substring(at + 1);
    String location = spec.substring(0, at);
    // file:///srv/repo has an empty host: its path's leading slash is not the // separator.
    int from =
        afterScheme < location.length() && location.charAt(afterScheme) == '/'
            ? afterScheme + 1
            : afterScheme;
    int slashes = location.indexOf("//", from);
    if (slashes < 0) {
      return new ManifestSource(location, DEFAULT_PATH, ref);
    }
    return new ManifestSource(location.substring(0, slashes), location.substring(slashes + 2), ref);
  }

  /** The spec as {@link #parse} reads it. */
  @Override
  public String toString() {
    return url + "//" + path + "@" + ref;
  }
}
