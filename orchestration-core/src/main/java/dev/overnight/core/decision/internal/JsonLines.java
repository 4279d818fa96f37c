package dev.overnight.core.decision.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.core.json.OvernightJson;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads a JSON Lines file written by another program, tolerantly: every line that parses to a JSON
 * object is handed on; a line that does not (truncated, binary, a format Overnight does not know)
 * is skipped; an I/O error ends the file quietly. Nothing here throws.
 *
 * <p>Hand-written rather than Jackson's {@code MappingIterator} because that stops at the first bad
 * line, and because lines are bounded here: agent histories embed whole files in tool results, and
 * one runaway line must not take the heap with it. Bytes that are not UTF-8 become U+FFFD instead
 * of failing the read ({@link InputStreamReader} replaces, {@code Files.newBufferedReader} would
 * throw).
 */
public final class JsonLines {
  /** Lines longer than this many characters are skipped unread. */
  public static final int MAX_LINE_CHARS = 16 * 1024 * 1024;

  private static final ObjectMapper MAPPER = OvernightJson.mapper();

  private JsonLines() {}

  /**
   * Hands each JSON object line of {@code file} to {@code consumer}. Returns false when the file
   * could not be opened or read to its end.
   */
  public static boolean forEachObject(Path file, Consumer<JsonNode> consumer) {
    return forEachObject(file, MAX_LINE_CHARS, consumer);
  }

  /** As {@link #forEachObject(Path, Consumer)}, skipping lines longer than {@code maxLineChars}. */
  public static boolean forEachObject(Path file, int maxLineChars, Consumer<JsonNode> consumer) {
    try (Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      boolean overflow = false;
      char[] buffer = new char[1 << 16];
      int n;
      while ((n = in.read(buffer)) != -1) {
        int from = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            overflow = append(line, overflow, maxLineChars, buffer, from, i);
            if (!overflow) {
              parse(line, consumer);
            }
            line.setLength(0);
            overflow = false;
            from = i + 1;
          }
        }
        overflow = append(line, overflow, maxLineChars, buffer, from, n);
      }
      if (!overflow) {
        parse(line, consumer);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean append(
      StringBuilder line, boolean overflow, int max, char[] b, int from, int to) {
    if (overflow || line.length() + (to - from) > max) {
      line.setLength(0);
      return true;
    }
    line.append(b, from, to - from);
    return false;
  }

  /** Parses one JSON text, or returns null. */
  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JacksonException | RuntimeException e) {
      return null;
    }
  }

  private static void parse(CharSequence line, Consumer<JsonNode> consumer) {
    int start = 0;
    while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
      start++;
    }
    if (start == line.length() || line.charAt(start) != '{') {
      return;
    }
    JsonNode node = parse(line.toString());
    if (node != null && node.isObject()) {
      try {
        consumer.accept(node);
      } catch (RuntimeException e) {
        // A reader choking on one odd line loses that line only.
      }
    }
  }
}
