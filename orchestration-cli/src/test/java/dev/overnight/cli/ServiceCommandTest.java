package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceCommandTest {
  @TempDir Path dir;

  @Test
  void printsASystemdUserUnitOnLinux() throws Exception {
    Path config = dir.resolve("overnight.json");
    Files.writeString(
        config,
        "{\"id\":\"nightly\",\"workspace_root\":\".\",\"schedule\":{\"expression\":\"0 2 * * *\"}}");
    CliRun run = CliRun.of("install-service", "--config", config.toString(), "--print");
    assertThat(run.exitCode()).as(run.err()).isZero();
    if (System.getProperty("os.name").toLowerCase().startsWith("mac")) {
      assertThat(run.out()).contains("<key>Label</key>");
    } else {
      assertThat(run.out())
          .contains(
              "# "
                  + Path.of(
                      System.getProperty("user.home"),
                      ".config/systemd/user/overnight-nightly.service"))
          .contains("ExecStart=")
          .contains(" run --quiet --config " + config)
          .contains("#   systemctl --user enable --now overnight-nightly.service");
    }
  }

  @Test
  void launchdAgentForMacs() {
    ServiceDefinition d =
        ServiceDefinition.forThisMachine(
            "nightly",
            List.of("/usr/bin/java", "-jar", "/opt/overnight.jar", "run"),
            Path.of("/Users/dev"),
            "Mac OS X");
    assertThat(d.file())
        .isEqualTo(Path.of("/Users/dev/Library/LaunchAgents/dev.overnight.nightly.plist"));
    assertThat(d.content())
        .contains("<string>dev.overnight.nightly</string>")
        .contains("    <string>/usr/bin/java</string>\n    <string>-jar</string>")
        .contains("<key>RunAtLoad</key>");
    assertThat(d.install())
        .containsExactly(List.of("launchctl", "load", "-w", d.file().toString()));
  }
}
