package dev.overnight.core.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates the state folder's folders and files so that only their owner may use them: folders
 * {@code rwx------} (0700), files {@code rw-------} (0600), whatever the umask. The state folder
 * holds what another user of the machine must not read: the queue's prompts and errors, agent
 * transcripts, the dashboard's token.
 *
 * <p>Only what is created here is made private; a folder that already exists keeps its permissions
 * (it may be one the user chose and shares, such as a project folder), and {@code overnight doctor}
 * says when the state folder is open to others. On a file system without POSIX permissions
 * (Windows, FAT, some network shares) folders and files are created with the file system's defaults
 * — on Windows, a folder under the user's profile is private to that user already.
 *
 * <p>Stateless and thread-safe; every method blocks on the file system.
 *
 * @since 0.1.0
 */
public final class PrivateFiles {
  private static final Set<PosixFilePermission> OWNER =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);
  private static final FileAttribute<Set<PosixFilePermission>> FOLDER =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<Set<PosixFilePermission>> FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private PrivateFiles() {}

  /**
   * Creates {@code folder} and its missing parents, each one owner-only; folders that exist are
   * left as they are.
   *
   * @return {@code folder}
   * @throws IOException if a folder cannot be created, or a file is in the way
   */
  public static Path createDirectories(Path folder) throws IOException {
    Path absolute = folder.toAbsolutePath();
    if (!isPosix(absolute)) {
      return Files.createDirectories(folder);
    }
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.push(p);
    }
    while (!missing.isEmpty()) {
      Path p = missing.pop();
      try {
        Files.createDirectory(p, FOLDER);
      } catch (FileAlreadyExistsException e) {
        // Made meanwhile by another thread or process: fine if it is a folder.
        if (!Files.isDirectory(p)) {
          throw e;
        }
      }
    }
    return folder;
  }

  /**
   * Creates {@code file} empty and owner-only, with its missing folders, unless it exists.
   *
   * @return whether it was created
   * @throws IOException if it cannot be created
   */
  public static boolean createFile(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      if (isPosix(file.toAbsolutePath())) {
        Files.createFile(file, FILE);
      } else {
        Files.createFile(file);
      }
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /**
   * Replaces {@code file} with {@code text} (UTF-8) atomically where the file system can: a reader
   * sees the old content or the new, never part of it. The file is owner-only afterwards.
   *
   * @throws IOException if it cannot be written
   */
  public static void writeString(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    createDirectories(parent);
    // A temporary file is created owner-only on POSIX file systems.
    Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Takes from an existing file or folder every permission of its group and of others (an older
   * Overnight made them readable by all); the owner's are kept as they are, a read-only file stays
   * read-only. Does nothing on a file system without POSIX permissions, or to a missing file.
   *
   * @return whether permissions were taken away
   * @throws IOException if they cannot be changed (the file belongs to someone else)
   */
  public static boolean restrict(Path path) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view == null || !Files.exists(path)) {
      return false;
    }
    Set<PosixFilePermission> permissions = view.readAttributes().permissions();
    Set<PosixFilePermission> owners = EnumSet.noneOf(PosixFilePermission.class);
    owners.addAll(permissions);
    owners.retainAll(OWNER);
    if (owners.equals(permissions)) {
      return false;
    }
    view.setPermissions(owners);
    return true;
  }

  /**
   * Whether the group or other users may read, write or enter {@code path}; false when it does not
   * exist or the file system has no POSIX permissions.
   */
  public static boolean isOpenToOthers(Path path) {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view == null) {
      return false;
    }
    try {
      return !OWNER.containsAll(view.readAttributes().permissions());
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
