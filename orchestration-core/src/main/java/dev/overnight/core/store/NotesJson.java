package dev.overnight.core.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.overnight.api.schedule.CycleOutcome;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A cycle's notes as the JSON array of strings a store's {@code notes} column holds. Stateless and
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class NotesJson {
  private static final JsonFactory JSON = new JsonFactory();

  private NotesJson() {}

  /** The JSON text of {@code notes}. */
  public static String write(List<String> notes) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (String note : notes) {
        g.writeString(note);
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The notes a JSON array of strings holds. */
  public static List<String> read(String json) {
    List<String> notes = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalStateException("cycle notes are not a JSON array: " + json);
      }
      while (p.nextToken() == JsonToken.VALUE_STRING) {
        notes.add(p.getText());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cycle notes are not valid JSON: " + json, e);
    }
    return notes;
  }

  /**
   * The notes of a cycle recorded before schema version 4, from its detail text: the notes were
   * joined with "; " after what the scheduler said of the outcome ("completed in 12 min",
   * "cancelled: the scheduler stopped"), which the outcome and the times now say by themselves.
   */
  public static List<String> fromDetail(CycleOutcome outcome, String detail) {
    if (detail == null || detail.isBlank()) {
      return List.of();
    }
    List<String> parts = new ArrayList<>(Arrays.asList(detail.split("; ")));
    String first = parts.get(0);
    if (outcome == CycleOutcome.COMPLETED && first.startsWith("completed in ")) {
      parts.remove(0);
    } else if (outcome == CycleOutcome.CANCELLED && first.startsWith("cancelled: ")) {
      parts.set(0, first.substring("cancelled: ".length()));
    } else if (outcome == CycleOutcome.SKIPPED) {
      // A skip's detail was always one note, which may itself contain "; ".
      return List.of(detail);
    }
    return List.copyOf(parts);
  }
}
