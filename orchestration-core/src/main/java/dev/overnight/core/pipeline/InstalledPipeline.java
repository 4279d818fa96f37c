package dev.overnight.core.pipeline;

import java.util.Objects;

/**
 * A pipeline installed from outside: its name, where it came from, and the commit and manifest hash
 * it is pinned to. The manifest runs only as pinned; a changed upstream takes {@code pipeline
 * update} and the new hash accepted.
 *
 * @param name the name it runs under ({@code overnight pipeline run NAME})
 * @param origin where it was fetched from: a {@link ManifestSource} spec for git, or a {@code
 *     nostr:naddr1…} address
 * @param revision what it is pinned to at the origin: the git commit, or the Nostr event id
 * @param hash the SHA-256 of the pinned manifest's text, in hex
 * @since 0.1.0
 */
public record InstalledPipeline(String name, String origin, String revision, String hash) {
  /** The prefix of an origin that is a Nostr address rather than a git spec. */
  public static final String NOSTR = "nostr:";

  /** Validates. */
  public InstalledPipeline {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(hash, "hash");
  }

  /** Whether it came from git (and so {@code update} can fetch it again). */
  public boolean fromGit() {
    return !origin.startsWith(NOSTR);
  }

  /** The hash as users type it: its first 12 hex digits. */
  public String shortHash() {
    return hash.substring(0, Math.min(12, hash.length()));
  }

  /** The revision shortened as git shows commits: 12 characters. */
  public String shortRevision() {
    return revision.substring(0, Math.min(12, revision.length()));
  }
}
