package dev.overnight.core.sandbox.internal;

import dev.overnight.core.sandbox.SandboxProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The macOS sandbox profile (Seatbelt's SBPL, as {@code sandbox-exec -p} takes it) for a {@link
 * SandboxProfile}: everything allowed as a base, then writing denied everywhere but the terminal
 * devices, the temporary folders and the writable paths; the hidden paths neither readable nor
 * writable; the network denied (Unix sockets included) unless the profile allows it.
 *
 * <p>Seatbelt lets the last matching rule win, so the rules go from the general to the specific:
 * hidden paths are denied before readable and writable ones are allowed again. macOS has no private
 * {@code /tmp}: the shared temporary folders stay writable, as tools need them.
 */
final class SeatbeltProfile {
  private SeatbeltProfile() {}

  /** The profile text. */
  static String text(SandboxProfile profile) {
    StringBuilder s = new StringBuilder();
    s.append("(version 1)\n");
    s.append("(allow default)\n");
    s.append("(deny file-write*)\n");
    s.append("(allow file-write*\n");
    s.append("  (literal \"/dev/null\") (literal \"/dev/zero\") (literal \"/dev/dtracehelper\")\n");
    s.append("  (regex #\"^/dev/tty\") (regex #\"^/dev/fd/\")\n");
    s.append("  (subpath \"/private/tmp\") (subpath \"/private/var/folders\"))\n");
    List<String> hidden = new ArrayList<>();
    for (Path p : profile.hidden()) {
      real(p).ifPresent(r -> hidden.add(filter(r)));
    }
    if (!hidden.isEmpty()) {
      s.append("(deny file-read* file-write*\n");
      hidden.forEach(h -> s.append("  ").append(h).append('\n'));
      s.append(")\n");
    }
    rule(s, "(allow file-read*", profile.readable());
    rule(s, "(allow file-read* file-write*", profile.writable());
    if (!profile.network()) {
      s.append("(deny network*)\n");
    }
    return s.toString();
  }

  private static void rule(StringBuilder s, String head, List<Path> paths) {
    List<String> filters = new ArrayList<>();
    for (Path p : paths) {
      real(p).ifPresent(r -> filters.add(filter(r)));
    }
    if (filters.isEmpty()) {
      return;
    }
    s.append(head).append('\n');
    filters.forEach(f -> s.append("  ").append(f).append('\n'));
    s.append(")\n");
  }

  /** A folder matches with everything under it, a file only itself. */
  private static String filter(Path real) {
    return (Files.isDirectory(real) ? "(subpath " : "(literal ") + quote(real.toString()) + ")";
  }

  /** An SBPL string literal. */
  static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static Optional<Path> real(Path p) {
    try {
      return Optional.of(p.toRealPath());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
