package dev.overnight.core.notify;

import dev.overnight.core.report.NightAlarm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which night alarms were already told, so that each is told once: an alarm whose nights overlap
 * those of the alarm of its kind told before is the same streak, still raised a night later; one
 * whose nights do not is a new streak.
 *
 * <p>With a file, what was told outlives a restart: the file is read once when the memory is made
 * and replaced atomically (a sibling written, then moved over it) each time something new is told,
 * one line per kind: its key and the nights of the alarm last told. A file that cannot be read or
 * written is logged and the memory goes on in memory alone: at worst an alarm is told once more.
 *
 * <p>Not thread-safe: {@link Notifications} calls it from its one sending thread. Writes block on
 * the file system.
 */
final class AlarmMemory {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmMemory.class);

  private final Map<NightAlarm.Kind, List<LocalDate>> told = new EnumMap<>(NightAlarm.Kind.class);
  private final Optional<Path> file;

  /** A memory kept in memory only: a restart may tell a raised alarm once more. */
  AlarmMemory() {
    this.file = Optional.empty();
  }

  /** A memory kept in {@code file}, starting from what it holds (nothing when it is absent). */
  AlarmMemory(Path file) {
    this.file = Optional.of(file);
    read(file);
  }

  /** The alarms of {@code raised} not told yet, now remembered as told. */
  List<NightAlarm> untold(List<NightAlarm> raised) {
    List<NightAlarm> fresh = new ArrayList<>();
    boolean changed = false;
    for (NightAlarm a : raised) {
      List<LocalDate> before = told.get(a.kind());
      if (before == null || Collections.disjoint(before, a.nights())) {
        fresh.add(a);
      }
      changed |= !a.nights().equals(before);
      told.put(a.kind(), a.nights());
    }
    if (changed) {
      file.ifPresent(this::write);
    }
    return fresh;
  }

  private void read(Path from) {
    List<String> lines;
    try {
      lines = Files.readAllLines(from, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      LOG.warn("Could not read the night alarms told before from {}: {}", from, e.toString());
      return;
    }
    for (String line : lines) {
      String[] words = line.trim().split("\\s+");
      if (words.length < 2) {
        continue;
      }
      try {
        NightAlarm.Kind kind = NightAlarm.Kind.valueOf(words[0].toUpperCase(Locale.ROOT));
        told.put(kind, Arrays.stream(words, 1, words.length).map(LocalDate::parse).toList());
      } catch (IllegalArgumentException | DateTimeParseException e) {
        LOG.warn("Ignoring a line of {} that names no told alarm: {}", from, line);
      }
    }
  }

  private void write(Path to) {
    StringBuilder text = new StringBuilder();
    told.forEach(
        (kind, nights) -> {
          text.append(kind.key());
          nights.forEach(n -> text.append(' ').append(n));
          text.append('\n');
        });
    try {
      Path parent = to.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, to.getFileName().toString(), ".tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
          Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      LOG.warn("Could not remember the night alarms told in {}: {}", to, e.toString());
    }
  }
}
