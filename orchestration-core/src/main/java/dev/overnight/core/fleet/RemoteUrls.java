package dev.overnight.core.fleet;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A git remote's URL as the repository it names, {@code host/owner/name}: the same for {@code
 * git@github.com:acme/shop.git}, {@code ssh://git@github.com:22/acme/shop}, {@code
 * https://user@github.com/acme/shop.git/}, so machines that cloned one repository over ssh and over
 * https carry the same {@code repo:} label. The host is lower-cased (DNS is case-insensitive); the
 * path keeps its case, as hosts differ on it. Stateless.
 *
 * @since 0.1.0
 */
public final class RemoteUrls {
  // scheme://[user[:password]@]host[:port]/path
  private static final Pattern WITH_SCHEME =
      Pattern.compile(
          "^(?:ssh|git|https?|git\\+ssh|ssh\\+git)://(?:[^@/]*@)?([^/:]+)(?::\\d*)?/(.+)$");
  // [user@]host:path (scp-like; the host has no slash before the colon)
  private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/]+@)?([^/:]+):(?!/)(.+)$");

  private RemoteUrls() {}

  /**
   * The repository {@code url} names, as {@code host/path} without {@code .git} or slashes at the
   * ends; empty for a local path or {@code file://} URL, which names no shared repository.
   */
  public static Optional<String> normalize(String url) {
    String u = url.strip();
    Matcher m = WITH_SCHEME.matcher(u);
    if (!m.matches()) {
      m = SCP_LIKE.matcher(u);
      if (!m.matches() || u.startsWith("/") || u.startsWith(".")) {
        return Optional.empty();
      }
    }
    String host = m.group(1).toLowerCase(Locale.ROOT);
    String path = m.group(2).replaceAll("/+$", "");
    if (path.endsWith(".git")) {
      path = path.substring(0, path.length() - 4);
    }
    path = path.replaceAll("^/+", "").replaceAll("/+", "/");
    if (host.isEmpty() || path.isEmpty() || path.chars().anyMatch(Character::isWhitespace)) {
      return Optional.empty();
    }
    return Optional.of(host + "/" + path);
  }
}
