package dev.overnight.core.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.doctor.DoctorReport.PathReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFolderCheckTest {
  @TempDir Path temp;

  private static Findings run(Path state, Path database) {
    Findings findings = new Findings();
    new StateFolderCheck(state, database).run(findings);
    return findings;
  }

  @Test
  void anExistingFolderAndDatabaseAreWritableWithSizeAndFreeSpace() throws Exception {
    Path state = Files.createDirectories(temp.resolve("state"));
    Path database = Files.write(state.resolve("overnight.db"), new byte[2048]);

    Findings findings = run(state, database);

    List<PathReport> reports = findings.state().orElseThrow();
    assertThat(reports).extracting(PathReport::role).containsExactly("state folder", "database");
    assertThat(reports.get(0).exists()).isTrue();
    assertThat(reports.get(0).writable()).isTrue();
    assertThat(reports.get(0).note()).matches("writable, \\d+ MiB free");
    assertThat(reports.get(1).sizeBytes()).isEqualTo(OptionalLong.of(2048));
    assertThat(reports.get(1).note()).isEqualTo("writable, 2048 bytes");
    assertThat(findings.problems()).isEmpty();
  }

  @Test
  void missingOnesWillBeCreatedOnTheFirstRunAndCreateNothingNow() {
    Path state = temp.resolve("a/b/state");
    Path database = state.resolve("overnight.db");

    Findings findings = run(state, database);

    List<PathReport> reports = findings.state().orElseThrow();
    assertThat(reports.get(0).note())
        .isEqualTo("does not exist yet; will be created (under writable " + temp + ")");
    assertThat(reports.get(0).writable()).isTrue();
    assertThat(reports.get(1).exists()).isFalse();
    assertThat(reports.get(1).writable()).isTrue();
    assertThat(reports.get(1).note()).isEqualTo("does not exist yet; created on first run");
    assertThat(Files.exists(temp.resolve("a"))).isFalse();
    assertThat(findings.problems()).isEmpty();
  }

  @Test
  void aStateFolderOtherUsersMayEnterIsAWarningSayingHowToCloseIt() throws Exception {
    Path state = Files.createDirectories(temp.resolve("state"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));

    Findings open = run(state, state.resolve("overnight.db"));

    assertThat(open.problems()).isEmpty();
    assertThat(open.warnings())
        .containsExactly(
            "state folder "
                + state
                + " is open to other users, and holds prompts, transcripts and the dashboard"
                + " token: chmod 700 \""
                + state
                + "\"");

    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
    assertThat(run(state, state.resolve("overnight.db")).warnings()).isEmpty();
  }

  @Test
  void aStateFolderThatIsAFileIsAProblem() throws Exception {
    Path state = Files.writeString(temp.resolve("state"), "not a folder");

    Findings findings = run(state, state.resolve("overnight.db"));

    PathReport folder = findings.state().orElseThrow().get(0);
    assertThat(folder.exists()).isTrue();
    assertThat(folder.writable()).isFalse();
    assertThat(folder.note()).isEqualTo("not a folder");
    assertThat(findings.problems())
        .containsExactly("state folder " + state + " exists but is not a folder");
  }

  @Test
  void aDatabaseThatIsAFolderIsAProblem() throws Exception {
    Path state = Files.createDirectories(temp.resolve("state"));
    Path database = Files.createDirectories(state.resolve("overnight.db"));

    Findings findings = run(state, database);

    PathReport db = findings.state().orElseThrow().get(1);
    assertThat(db.writable()).isFalse();
    assertThat(db.note()).isEqualTo("not a regular file");
    assertThat(findings.problems())
        .containsExactly("database " + database + " is not a regular file");
  }
}
