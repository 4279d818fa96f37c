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
            "Mac OS X",
            "/opt/homebrew/bin:/usr/bin");
    assertThat(d.file())
        .isEqualTo(Path.of("/Users/dev/Library/LaunchAgents/dev.overnight.nightly.plist"));
    assertThat(d.environmentFile())
        .isEqualTo(Path.of("/Users/dev/Library/Application Support/Overnight/nightly.env"));
    assertThat(d.content())
        .contains("<string>dev.overnight.nightly</string>")
        .contains(
            "    <string>/bin/sh</string>\n    <string>-c</string>\n",
            "    <string>/Users/dev/Library/Application Support/Overnight/nightly.env</string>\n"
                + "    <string>/usr/bin/java</string>\n    <string>-jar</string>")
        .contains("<key>PATH</key>\n    <string>/opt/homebrew/bin:/usr/bin</string>")
        .contains("<key>RunAtLoad</key>");
    assertThat(d.install())
        .containsExactly(List.of("launchctl", "load", "-w", d.file().toString()));
  }

  @Test
  void theLaunchdWrapperReadsTheEnvironmentFileThenBecomesTheCommand() throws Exception {
    Path env = dir.resolve("keys.env");
    Files.writeString(env, "# keys\nOVERNIGHT_TEST_KEY=sk-from-file\n");
    ServiceDefinition d =
        ServiceDefinition.forThisMachine(
            "nightly", List.of("sh", "-c", "echo $OVERNIGHT_TEST_KEY"), dir, "Mac OS X", "/bin");
    List<String> argv =
        d.content()
            .lines()
            .filter(l -> l.startsWith("    <string>"))
            .map(l -> l.replaceAll("^    <string>(.*)</string>$", "$1"))
            .map(
                l ->
                    l.replace("&quot;", "\"")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&amp;", "&"))
            .toList()
            .subList(0, 7);
    List<String> withOurFile = new java.util.ArrayList<>(argv);
    withOurFile.set(3, env.toString());
    Process p = new ProcessBuilder(withOurFile).redirectErrorStream(true).start();
    assertThat(new String(p.getInputStream().readAllBytes()).strip()).isEqualTo("sk-from-file");
    assertThat(p.waitFor()).isZero();
  }

  @Test
  void aSystemdUnitCarriesThePathTheEnvironmentFileAndEscapesPercentSigns() {
    ServiceDefinition d =
        ServiceDefinition.forThisMachine(
            "nightly",
            List.of("/usr/bin/java", "-jar", "/home/dev/100%/overnight.jar", "run"),
            Path.of("/home/dev"),
            "Linux",
            "/home/dev/.npm-global/bin:/usr/bin");
    assertThat(d.environmentFile()).isEqualTo(Path.of("/home/dev/.config/overnight/nightly.env"));
    assertThat(d.content())
        .contains("Environment=PATH=/home/dev/.npm-global/bin:/usr/bin\n")
        .contains("EnvironmentFile=-/home/dev/.config/overnight/nightly.env\n")
        .contains("ExecStart=/usr/bin/java -jar /home/dev/100%%/overnight.jar run\n")
        .doesNotContain("100%/");
  }

  @Test
  void theEnvironmentFileIsCreatedOnceForItsOwnerOnly() throws Exception {
    ServiceDefinition d =
        ServiceDefinition.forThisMachine("nightly", List.of("overnight"), dir, "Linux", "/bin");
    assertThat(ServiceCommands.createEnvironmentFile(d, "nightly")).isTrue();
    assertThat(Files.getPosixFilePermissions(d.environmentFile()))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(d.environmentFile()).content().contains("ANTHROPIC_API_KEY");
    Files.writeString(d.environmentFile(), "OPENAI_API_KEY=mine\n");
    assertThat(ServiceCommands.createEnvironmentFile(d, "nightly")).isFalse();
    assertThat(d.environmentFile()).hasContent("OPENAI_API_KEY=mine");
  }

  @Test
  void lingeringIsSuggestedUnlessItIsOn() {
    ServiceDefinition unit =
        ServiceDefinition.forThisMachine("nightly", List.of("overnight"), dir, "Linux", "/bin");
    assertThat(
            ServiceCommands.lingerHint(
                unit,
                (c, t) -> dev.overnight.core.process.CommandResult.exited(c, 0, "Linger=no\n", ""),
                "dev"))
        .hasValueSatisfying(h -> assertThat(h).contains("loginctl enable-linger dev"));
    assertThat(
            ServiceCommands.lingerHint(
                unit,
                (c, t) -> dev.overnight.core.process.CommandResult.exited(c, 0, "Linger=yes\n", ""),
                "dev"))
        .isEmpty();
    ServiceDefinition agent =
        ServiceDefinition.forThisMachine("nightly", List.of("overnight"), dir, "Mac OS X", "/bin");
    assertThat(
            ServiceCommands.lingerHint(
                agent,
                (c, t) -> {
                  throw new AssertionError();
                },
                "dev"))
        .isEmpty();
  }
}
