package dev.overnight.server.internal;

import dev.overnight.server.ReportFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The morning reports in one folder: {@code *.md} and {@code *.html} files, listed most recent
 * first and read by name. A name is a plain file name of that folder, never a path: anything else
 * is treated as absent, and so is a link that leads out of the folder.
 */
public final class ReportFolder {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
  private static final long MAX_SIZE = 8L * 1024 * 1024;

  private final Path directory;

  /** A view of {@code directory}, which need not exist yet. */
  public ReportFolder(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  /** The format of a report by its name: {@code markdown}, {@code html}, or empty. */
  public static Optional<String> formatOf(String name) {
    if (!NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    if (name.endsWith(".md")) {
      return Optional.of("markdown");
    }
    if (name.endsWith(".html")) {
      return Optional.of("html");
    }
    return Optional.empty();
  }

  /** Every report, most recently written first. */
  public List<ReportFile> list() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<ReportFile> files = new ArrayList<>();
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        Optional<String> format = formatOf(name);
        if (format.isPresent() && inside(p)) {
          files.add(
              new ReportFile(
                  name, format.get(), Files.getLastModifiedTime(p).toInstant(), Files.size(p)));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the reports in " + directory, e);
    }
    files.sort(
        Comparator.comparing(ReportFile::modified)
            .reversed()
            .thenComparing(ReportFile::name, Comparator.reverseOrder()));
    return files;
  }

  /** Whether a path is a regular file that stays inside the folder once links are followed. */
  private boolean inside(Path file) throws IOException {
    return Files.isRegularFile(file) && file.toRealPath().startsWith(directory.toRealPath());
  }

  /** The text of one report, if it exists inside the folder. */
  public Optional<String> read(String name) {
    if (formatOf(name).isEmpty()) {
      return Optional.empty();
    }
    Path file = directory.resolve(name);
    try {
      if (!inside(file) || Files.size(file) > MAX_SIZE) {
        return Optional.empty();
      }
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the report " + file, e);
    }
  }
}
