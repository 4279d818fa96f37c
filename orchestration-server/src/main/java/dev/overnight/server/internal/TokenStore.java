package dev.overnight.server.internal;

import dev.overnight.api.OrchestrationException;
import dev.overnight.core.secrets.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's access token: 256 random bits, created on first start and kept in the state
 * folder in a file only its owner may read or write, so that the same URL works after a restart.
 */
public final class TokenStore {
  /** The token file's name in the state folder. */
  public static final String FILE_NAME = "dashboard-token";

  private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenStore() {}

  /** A fresh random token, URL-safe. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The token stored in {@code stateDir}, created there first if absent. An existing file whose
   * permissions are wider than the owner's is narrowed, with a warning.
   *
   * @throws OrchestrationException if the folder or the file cannot be read or written
   */
  public static String loadOrCreate(Path stateDir) {
    Path file = stateDir.resolve(FILE_NAME);
    try {
      PrivateFiles.createDirectories(stateDir);
      if (!Files.exists(file)) {
        String token = newToken();
        try {
          create(file);
          Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
          LOG.info("Created the dashboard token in {}", file);
          return token;
        } catch (FileAlreadyExistsException raced) {
          // Another process created it first: use theirs.
        }
      }
      restrict(file);
      String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (token.length() < 16) {
        throw new OrchestrationException(
            "The dashboard token in " + file + " is too short; delete the file to get a new one");
      }
      return token;
    } catch (IOException e) {
      throw new OrchestrationException(
          "Could not read or create the dashboard token in " + file + ": " + e, e);
    }
  }

  private static void create(Path file) throws IOException {
    if (isPosix(file)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(file);
    }
  }

  private static void restrict(Path file) throws IOException {
    if (isPosix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
      LOG.warn("The dashboard token {} was readable by others; restricting it to its owner", file);
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  private static boolean isPosix(Path file) {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
