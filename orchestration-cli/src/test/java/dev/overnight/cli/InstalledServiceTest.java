package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.rehearsal.ServiceEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The context an installed service starts in, read back from what install-service writes. */
class InstalledServiceTest {
  private static final Map<String, String> SHELL =
      Map.of(
          "HOME", "/home/dev",
          "USER", "dev",
          "PATH", "/home/dev/.npm/bin:/usr/bin:/bin",
          "OPENAI_API_KEY", "sk-shell-only");

  @TempDir Path dir;

  @Test
  void aSystemdUnitGivesItsPathItsEnvironmentFileAndTheHomeFolder() throws Exception {
    Path home = dir.resolve("home with space");
    ServiceDefinition d =
        ServiceDefinition.forThisMachine(
            "nightly",
            List.of("/usr/bin/java", "-jar", "/opt/overnight.jar", "run"),
            home,
            "Linux",
            "/opt/100%/bin:/usr/bin:/bin");
    Files.createDirectories(d.file().getParent());
    Files.writeString(d.file(), d.content());
    Files.createDirectories(d.environmentFile().getParent());
    Files.writeString(
        d.environmentFile(),
        ServiceDefinition.environmentTemplate("nightly")
            + "ANTHROPIC_API_KEY=sk-ant-from-file\nexport QUOTED=\"a b\"\n");

    ServiceEnvironment s = InstalledService.read(d.file(), SHELL, dir);

    assertThat(s.installed()).isTrue();
    assertThat(s.source()).isEqualTo("systemd unit " + d.file());
    assertThat(s.environmentFile()).contains(d.environmentFile());
    assertThat(s.variables())
        .containsEntry("PATH", "/opt/100%/bin:/usr/bin:/bin")
        .containsEntry("ANTHROPIC_API_KEY", "sk-ant-from-file")
        .containsEntry("QUOTED", "a b")
        .containsEntry("HOME", "/home/dev")
        .doesNotContainKey("OPENAI_API_KEY");
    assertThat(s.workingDirectory()).isEqualTo(Path.of("/home/dev"));
  }

  @Test
  void aLaunchdPlistGivesItsPathAndTheFileItsWrapperReads() throws Exception {
    ServiceDefinition d =
        ServiceDefinition.forThisMachine(
            "nightly",
            List.of("/usr/bin/java", "-jar", "/opt/overnight.jar", "run"),
            dir,
            "Mac OS X",
            "/opt/homebrew/bin:/usr/bin");
    Files.createDirectories(d.file().getParent());
    Files.writeString(d.file(), d.content());
    Files.createDirectories(d.environmentFile().getParent());
    Files.writeString(d.environmentFile(), "OPENAI_API_KEY=sk-from-file\n");

    ServiceEnvironment s = InstalledService.read(d.file(), SHELL, dir);

    assertThat(s.source()).isEqualTo("launchd agent " + d.file());
    assertThat(s.environmentFile()).contains(d.environmentFile());
    assertThat(s.variables())
        .containsEntry("PATH", "/opt/homebrew/bin:/usr/bin")
        .containsEntry("OPENAI_API_KEY", "sk-from-file");
    assertThat(s.workingDirectory()).isEqualTo(Path.of("/"));
  }

  @Test
  void noDefinitionMeansThisShell() throws Exception {
    Path absent = dir.resolve("overnight-nightly.service");

    ServiceEnvironment s = InstalledService.read(absent, SHELL, dir);

    assertThat(s.installed()).isFalse();
    assertThat(s.source()).isEqualTo("this shell (no service installed at " + absent + ")");
    assertThat(s.variables()).isEqualTo(SHELL);
  }

  @Test
  void unitWordsAreUnquotedAsSystemdReadsThem() {
    assertThat(InstalledService.words("\"PATH=/a b:/c\" X=1 \"Y=say \\\"hi\\\"\" Z=50%%"))
        .containsExactly("PATH=/a b:/c", "X=1", "Y=say \"hi\"", "Z=50%");
  }
}
