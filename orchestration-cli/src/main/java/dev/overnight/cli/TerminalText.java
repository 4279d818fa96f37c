package dev.overnight.cli;

/**
 * Text from outside Overnight made safe to print for people: titles and prompts from the queue,
 * file names from a repository, what an agent says, folder names, error messages. A terminal obeys
 * the control characters it receives — an escape sequence can clear the screen, move the cursor
 * over earlier lines, set the window title or rewrite the clipboard — so every control character
 * (C0, DEL, C1), the Unicode line separators and the bidirectional controls that reorder what is
 * shown are printed as escapes instead: {@code \x1b} for ESC, {@code \x9b} for CSI, a backslash, u
 * and four hex digits above U+00FF. JSON output needs none of this: Jackson already escapes what
 * JSON strings may not hold. Stateless.
 */
final class TerminalText {
  private TerminalText() {}

  /**
   * One line: line breaks and tabs are shown as {@code \n}, {@code \r} and {@code \t} too, so a
   * value cannot start a line that looks like the program's own.
   */
  static String line(String s) {
    return neutralise(s, false);
  }

  /**
   * Several lines: line breaks and tabs stay ({@code \r\n} becomes {@code \n}); a carriage return
   * on its own, which would let the next characters overwrite the line, is shown.
   */
  static String text(String s) {
    return neutralise(s, true);
  }

  private static String neutralise(String s, boolean multiline) {
    if (s == null) {
      return "null";
    }
    int first = 0;
    while (first < s.length() && !unsafe(s.charAt(first), multiline)) {
      first++;
    }
    if (first == s.length()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!unsafe(c, multiline)) {
        b.append(c);
      } else if (multiline && c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
        // A Windows line end: the line feed that follows keeps the break.
        continue;
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c <= 0xff) {
        b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
      } else {
        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return b.toString();
  }

  private static boolean unsafe(char c, boolean multiline) {
    if (multiline && (c == '\n' || c == '\t')) {
      return false;
    }
    return Character.isISOControl(c)
        || c == 0x2028
        || c == 0x2029
        || c == 0x061c
        || c == 0x200e
        || c == 0x200f
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }
}
