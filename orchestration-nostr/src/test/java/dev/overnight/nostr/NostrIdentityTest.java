package dev.overnight.nostr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publishing key: made on first use, owner-only, and refused when others can reach it. */
class NostrIdentityTest {
  @TempDir Path dir;

  @Test
  void theKeyIsMadeOnFirstUseOwnerOnlyAndKept() throws Exception {
    Path file = dir.resolve("nostr/key");

    NostrIdentity first = NostrIdentity.loadOrCreate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(first.publicKey()).matches("[0-9a-f]{64}");
    assertThat(NostrIdentity.loadOrCreate(file).publicKey()).isEqualTo(first.publicKey());
    assertThat(NostrIdentity.loadOrCreate(dir.resolve("other")).publicKey())
        .isNotEqualTo(first.publicKey());
  }

  @Test
  void aKeyOthersCanReadIsRefused() throws Exception {
    Path file = dir.resolve("key");
    NostrIdentity.loadOrCreate(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> NostrIdentity.loadOrCreate(file))
        .isInstanceOf(NostrException.class)
        .hasMessageContaining("is rw-r--r--: others may have read it");
  }

  @Test
  void aFileWithoutAKeyIsRefused() throws Exception {
    Path file = dir.resolve("key");
    Files.writeString(file, "not a key\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> NostrIdentity.load(file))
        .isInstanceOf(NostrException.class)
        .hasMessageContaining("does not hold a secret key");
  }
}
