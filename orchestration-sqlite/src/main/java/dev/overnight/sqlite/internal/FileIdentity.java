package dev.overnight.sqlite.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Which file a path named when the database was opened: its file key (device and inode on POSIX
 * systems). Comparing it with the path's file key now tells whether the file was deleted, moved
 * away or replaced meanwhile; one {@code stat} call, a few microseconds.
 *
 * <p>Immutable and thread-safe. On a file system without file keys every check passes.
 *
 * @param key the file key at open, or null when the file system has none
 */
record FileIdentity(Object key) {

  /** The identity of the file {@code file} names now. */
  static FileIdentity of(Path file) throws IOException {
    return new FileIdentity(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
  }

  /**
   * What happened to the file since it was opened, in words, if {@code file} no longer names it;
   * empty while it does (or when that cannot be told: no file keys, or the path cannot be read, in
   * which case SQLite reports the problem itself).
   */
  Optional<String> change(Path file) {
    if (key == null) {
      return Optional.empty();
    }
    Object now;
    try {
      now = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return Optional.of("it was deleted or moved away");
    } catch (IOException e) {
      return Optional.empty();
    }
    return now == null || now.equals(key)
        ? Optional.empty()
        : Optional.of("it was replaced by another file");
  }
}
