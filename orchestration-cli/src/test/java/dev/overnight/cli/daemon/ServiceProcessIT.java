package dev.overnight.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code overnight install-service} and {@code uninstall-service} for real on Linux, in a home
 * folder of their own and with a stand-in {@code systemctl} first on PATH that records its calls,
 * so nothing touches this machine's services.
 */
class ServiceProcessIT {
  @TempDir Path dir;

  private Path systemctl(int exitCode) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin-" + exitCode));
    Path script = bin.resolve("systemctl");
    Files.writeString(
        script,
        "#!/bin/sh\necho \"$*\" >> '"
            + dir.resolve("systemctl-calls")
            + "'\nexit "
            + exitCode
            + "\n");
    script.toFile().setExecutable(true);
    return bin;
  }

  private OvernightProcess.Result overnight(Path bin, String... args) throws Exception {
    return OvernightProcess.run(
        Map.of("PATH", bin + ":" + System.getenv("PATH")),
        List.of("-Duser.home=" + dir.resolve("home")),
        args);
  }

  @Test
  void installWritesAndEnablesTheUnitAndUninstallTakesItAway() throws Exception {
    Path config = dir.resolve("overnight.json");
    Files.writeString(
        config,
        "{\"id\":\"nightly\",\"workspace_root\":\""
            + dir
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"}}");
    Path unit = dir.resolve("home/.config/systemd/user/overnight-nightly.service");

    OvernightProcess.Result installed =
        overnight(systemctl(0), "install-service", "--config", config.toString());
    assertThat(installed.exitCode()).as(installed.output()).isZero();
    assertThat(installed.output()).contains("Wrote " + unit);
    assertThat(Files.readString(unit))
        .contains("ExecStart=", " run --quiet --config " + config, "WantedBy=default.target");
    assertThat(Files.readAllLines(dir.resolve("systemctl-calls")))
        .containsExactly("--user daemon-reload", "--user enable --now overnight-nightly.service");

    OvernightProcess.Result removed =
        overnight(systemctl(0), "uninstall-service", "--config", config.toString());
    assertThat(removed.exitCode()).as(removed.output()).isZero();
    assertThat(removed.output()).contains("Removed " + unit);
    assertThat(unit).doesNotExist();
    assertThat(Files.readAllLines(dir.resolve("systemctl-calls")))
        .endsWith("--user disable --now overnight-nightly.service", "--user daemon-reload");
  }

  @Test
  void withoutAUserServiceManagerTheUnitStaysInPlaceAndTheOutputSaysWhatToRun() throws Exception {
    Path config = dir.resolve("overnight.json");
    Files.writeString(
        config,
        "{\"id\":\"box\",\"workspace_root\":\""
            + dir
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"}}");

    OvernightProcess.Result installed =
        overnight(systemctl(1), "install-service", "--config", config.toString());

    assertThat(installed.exitCode()).isEqualTo(1);
    assertThat(dir.resolve("home/.config/systemd/user/overnight-box.service")).exists();
    assertThat(installed.output())
        .contains("$ systemctl --user daemon-reload")
        .contains("The systemd definition is in place; load it by hand with the command above.");
  }
}
