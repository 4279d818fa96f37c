package dev.overnight.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
  @TempDir Path dir;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void everyFolderItCreatesIsTheOwnersOnlyAndAnExistingOneKeepsItsPermissions() throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

    Path state = PrivateFiles.createDirectories(shared.resolve("a/b/state"));

    assertThat(state).isDirectory();
    assertThat(mode(shared.resolve("a"))).isEqualTo("rwx------");
    assertThat(mode(shared.resolve("a/b"))).isEqualTo("rwx------");
    assertThat(mode(state)).isEqualTo("rwx------");
    assertThat(mode(shared)).as("not Overnight's to change").isEqualTo("rwxr-xr-x");
    assertThat(PrivateFiles.createDirectories(state))
        .as("an existing folder is fine")
        .isEqualTo(state);
  }

  @Test
  void filesAreCreatedAndReplacedForTheOwnerOnly() throws Exception {
    Path lock = dir.resolve("state/daemon.lock");
    assertThat(PrivateFiles.createFile(lock)).isTrue();
    assertThat(PrivateFiles.createFile(lock)).as("made once").isFalse();
    assertThat(mode(lock)).isEqualTo("rw-------");
    assertThat(mode(lock.getParent())).isEqualTo("rwx------");

    Path info = dir.resolve("state/daemon.json");
    Files.writeString(info, "old");
    Files.setPosixFilePermissions(info, PosixFilePermissions.fromString("rw-r--r--"));
    PrivateFiles.writeString(info, "{\"pid\":1}\n");
    assertThat(info).hasContent("{\"pid\":1}");
    assertThat(mode(info)).isEqualTo("rw-------");
    try (var left = Files.list(info.getParent())) {
      assertThat(left).as("no temporary file left").hasSize(2);
    }
  }

  @Test
  void restrictTakesTheGroupsAndOthersPermissionsAndKeepsTheOwners() throws Exception {
    Path db = Files.writeString(dir.resolve("overnight.db"), "");
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-rw-r--"));
    assertThat(PrivateFiles.isOpenToOthers(db)).isTrue();

    assertThat(PrivateFiles.restrict(db)).isTrue();
    assertThat(mode(db)).isEqualTo("rw-------");
    assertThat(PrivateFiles.isOpenToOthers(db)).isFalse();
    assertThat(PrivateFiles.restrict(db)).as("nothing left to take").isFalse();

    Path readOnly = Files.writeString(dir.resolve("read-only.db"), "");
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--r--r--"));
    PrivateFiles.restrict(readOnly);
    assertThat(mode(readOnly)).as("still read-only").isEqualTo("r--------");
    assertThat(PrivateFiles.restrict(dir.resolve("missing"))).isFalse();
  }

  @Test
  void onAFileSystemWithoutPosixPermissionsFoldersAndFilesAreStillMade() throws Exception {
    URI zip = URI.create("jar:" + dir.resolve("state.zip").toUri());
    try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
      assertThat(fs.supportedFileAttributeViews()).doesNotContain("posix");
      Path state = PrivateFiles.createDirectories(fs.getPath("/home/state"));
      assertThat(PrivateFiles.createFile(state.resolve("daemon.lock"))).isTrue();
      PrivateFiles.writeString(state.resolve("daemon.json"), "{}\n");

      assertThat(state.resolve("daemon.lock")).exists();
      assertThat(state.resolve("daemon.json")).hasContent("{}");
      assertThat(PrivateFiles.restrict(state.resolve("daemon.json"))).isFalse();
      assertThat(PrivateFiles.isOpenToOthers(state)).isFalse();
    }
  }
}
