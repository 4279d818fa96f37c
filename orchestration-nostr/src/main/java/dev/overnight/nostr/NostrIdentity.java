package dev.overnight.nostr;

import dev.overnight.nostr.internal.Schnorr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The key manifests are published under: a secp256k1 secret key kept in one file (hex), generated
 * on first use and readable by its owner only. A key file that others can read or write is refused,
 * not fixed: someone may have copied it.
 *
 * <p>Immutable and thread-safe once loaded; loading blocks on the file system.
 *
 * @since 0.1.0
 */
public final class NostrIdentity {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final byte[] secret;
  private final String publicKey;

  private NostrIdentity(byte[] secret) {
    this.secret = secret.clone();
    this.publicKey = HexFormat.of().formatHex(Schnorr.publicKey(secret));
  }

  /**
   * The key in {@code file}, generated (and the file created owner-only, in an owner-only folder)
   * when there is none yet.
   *
   * @throws NostrException if the file can be read or written by others than its owner, or does not
   *     hold a key
   */
  public static NostrIdentity loadOrCreate(Path file) {
    if (!Files.exists(file)) {
      try {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
          Files.createDirectories(
              folder,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        byte[] secret = Schnorr.newSecretKey();
        Files.writeString(file, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.US_ASCII);
        return new NostrIdentity(secret);
      } catch (FileAlreadyExistsException e) {
        // Made by another process meanwhile: read it as any existing key.
      } catch (UnsupportedOperationException e) {
        throw new NostrException(
            "cannot keep the key "
                + file
                + " owner-only: the file system has no POSIX permissions");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the key " + file, e);
      }
    }
    return load(file);
  }

  /**
   * The key in {@code file}.
   *
   * @throws NostrException if the file can be read or written by others than its owner, or does not
   *     hold a key
   */
  public static NostrIdentity load(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(permissions)) {
        throw new NostrException(
            "the key "
                + file
                + " is "
                + PosixFilePermissions.toString(permissions)
                + ": others may have read it. Make a new one (move this file away) or, if only you"
                + " ever had access, chmod 600 it");
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
      String hex = lines.isEmpty() ? "" : lines.get(0).strip();
      if (!hex.matches("[0-9a-f]{64}")) {
        throw new NostrException("the key " + file + " does not hold a secret key (64 hex digits)");
      }
      byte[] secret = HexFormat.of().parseHex(hex);
      if (!Schnorr.validSecretKey(secret)) {
        throw new NostrException("the key " + file + " is not a valid secp256k1 secret key");
      }
      return new NostrIdentity(secret);
    } catch (UnsupportedOperationException e) {
      throw new NostrException(
          "cannot check that the key " + file + " is owner-only: no POSIX permissions here");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the key " + file, e);
    }
  }

  /** The x-only public key, 64 hex digits: the author of every event this key signs. */
  public String publicKey() {
    return publicKey;
  }

  /**
   * Signs an event of {@code kind} with {@code tags} and {@code content}, made at {@code
   * createdAt}.
   */
  public NostrEvent sign(long createdAt, int kind, List<List<String>> tags, String content) {
    String id = NostrEvent.idOf(publicKey, createdAt, kind, tags, content);
    byte[] sig = Schnorr.sign(HexFormat.of().parseHex(id), secret);
    return new NostrEvent(
        id, publicKey, createdAt, kind, tags, content, HexFormat.of().formatHex(sig));
  }

  @Override
  public String toString() {
    return "NostrIdentity[" + publicKey + "]";
  }
}
