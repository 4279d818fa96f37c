package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ScriptedAgent;
import dev.overnight.fakes.ScriptedCheckerProvider;
import dev.overnight.fakes.SmallDisk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code overnight rehearse} against a stand-in service: a systemd unit written as {@code
 * install-service} writes one, with its own PATH and environment file, a fake {@code gh} on that
 * PATH, scripted agents, and a real repository.
 */
class RehearseCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Git git;
  private Path serviceBin;
  private Path shellBin;
  private Path unit;
  private Path envFile;
  private Map<String, String> shell;

  @BeforeEach
  void standInService() throws Exception {
    git = WorkerSetup.repository(dir);
    serviceBin = Files.createDirectories(dir.resolve("service-bin"));
    shellBin = Files.createDirectories(dir.resolve("shell-bin"));
    ServiceDefinition d =
        ServiceDefinition.forThisMachine(
            "night",
            List.of("/usr/bin/java", "-jar", "/opt/overnight.jar", "run"),
            dir,
            "Linux",
            serviceBin + ":/usr/bin:/bin");
    unit = Files.createDirectories(dir.resolve("units")).resolve("overnight-night.service");
    Files.writeString(unit, d.content());
    envFile = d.environmentFile();
    Files.createDirectories(envFile.getParent());
    Files.writeString(envFile, ServiceDefinition.environmentTemplate("night"));
    shell = new HashMap<>(System.getenv());
    shell.put("PATH", shellBin + ":/usr/bin:/bin");
  }

  private static void script(Path file, String body) throws Exception {
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Path agentScript(String json) throws Exception {
    Path file = dir.resolve("agent-" + System.nanoTime() + ".json");
    Files.writeString(file, json);
    return file;
  }

  /** A config: the repository, a state folder, the sandbox off, the given agents allowed. */
  private ObjectNode config(Map<String, List<String>> agents) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "night");
    root.put("workspace_root", git.dir().toString());
    root.put("state_dir", dir.resolve("state").toString());
    root.putObject("schedule").put("expression", "0 2 * * *");
    root.putObject("permissions").put("mode", "unattended").put("sandbox", "off");
    ObjectNode section = root.putObject("agents");
    ArrayNode allow = root.putObject("agent_preferences").putArray("allow");
    agents.forEach(
        (id, argv) -> {
          ObjectNode a = section.putObject(id);
          a.put("command", argv.get(0));
          ArrayNode args = a.putArray("args");
          argv.subList(1, argv.size()).forEach(args::add);
          allow.add(id);
        });
    root.putObject("decision").putArray("history_sources");
    return root;
  }

  private Path write(ObjectNode config) throws Exception {
    Path file = dir.resolve("overnight.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
    return file;
  }

  private CliRun rehearse(ProviderLoader loader, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new RehearseCommand(shell, loader));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  private CliRun rehearse(String... args) {
    return rehearse(ProviderLoader.standard(), args);
  }

  @Test
  void aNightThatWouldRunExitsZeroAndItsJsonHasThePublishedShape() throws Exception {
    Path agent = agentScript("{}");
    Files.writeString(envFile, "SCRIPTED_KEY=sk-scripted-0123456789\n");
    Path config =
        write(config(Map.of("scripted", ScriptedAgent.argv("--script", agent.toString()))));

    CliRun text = rehearse("--config", config.toString(), "--service", unit.toString());

    assertThat(text.exitCode()).as(text.out() + text.err()).isZero();
    assertThat(text.out())
        .contains("context  systemd unit " + unit)
        .contains("PATH     " + serviceBin + ":/usr/bin:/bin")
        .contains(
            "ok       agent scripted: started, initialized and opened a session without a prompt")
        .contains("quota of scripted: unknown")
        .contains("A night would run.");

    CliRun json = rehearse("--config", config.toString(), "--service", unit.toString(), "--json");
    assertThat(json.exitCode()).isZero();
    assertThat(ShapeSchemas.errors("rehearsal.schema.json", json.out())).isEmpty();
    JsonNode root = JSON.readTree(json.out());
    assertThat(root.get("night_would_run").asBoolean()).isTrue();
    assertThat(root.at("/service/environment_file").asText()).isEqualTo(envFile.toString());
    assertThat(root.at("/service/variables").toString())
        .as("names, never the keys themselves")
        .contains("SCRIPTED_KEY")
        .doesNotContain("sk-scripted");
  }

  @Test
  void theStandInServiceShowsEachProblemWithItsFix() throws Exception {
    // The service lacks what this shell has: a folder on PATH, and a key.
    script(shellBin.resolve("make-deps"), "exit 0");
    shell.put("OPENAI_API_KEY", "sk-shell-0123456789abcdef");
    shell.put("SCRIPTED_KEY", "sk-scripted-0123456789");
    // gh is on the service's PATH, logged out.
    script(
        serviceBin.resolve("gh"),
        "echo 'You are not logged into any GitHub hosts. To log in, run: gh auth login' >&2\n"
            + "exit 1");
    Path needsKey = agentScript("{\"authMethod\":\"api-key\",\"authVariable\":\"SCRIPTED_KEY\"}");
    ObjectNode root =
        config(
            Map.of(
                "codex", ScriptedAgent.argv(),
                "scripted", ScriptedAgent.argv("--script", needsKey.toString())));
    root.putObject("worktree").put("setup_command", "make-deps --frozen");
    root.putObject("pr_automation").put("enabled", true).put("push", false);
    Path config = write(root);

    CliRun run = rehearse("--config", config.toString(), "--service", unit.toString());
    String out = run.out();

    assertThat(run.exitCode()).as(out + run.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(out)
        .contains("PROBLEM  PATH: `make-deps` is not on the service's PATH")
        .contains(
            "fix: add "
                + shellBin
                + " to the service's PATH (the PATH line in "
                + unit
                + "), or run `overnight install-service` again from a shell that finds it");
    assertThat(out)
        .contains("PROBLEM  agent codex: cannot start in the service's context")
        .contains(
            "fix: put OPENAI_API_KEY=… in "
                + envFile
                + " (the service reads it at start), then restart it");
    assertThat(out)
        .contains("PROBLEM  agent scripted: cannot log in as the service")
        .contains(
            "fix: log scripted in as the user the service runs as, or put its key in the"
                + " service's environment");
    assertThat(out)
        .contains("PROBLEM  gh: gh is not logged in for the service")
        .contains("fix: run `gh auth login` as the user the service runs as");
    assertThat(out).contains("No night would run:");
    assertThat(git.check("worktree", "list").lines()).as("the scratch worktree is gone").hasSize(1);
  }

  @Test
  void anAgentOnlyThisShellFindsNeedsItsFolderOnTheServicesPath() throws Exception {
    script(shellBin.resolve("fake-acp"), "exit 0");
    Path config = write(config(Map.of("fake", List.of("fake-acp", "--acp"))));

    CliRun run = rehearse("--config", config.toString(), "--service", unit.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.out())
        .contains(
            "PROBLEM  agent fake: cannot start in the service's context: fake: command not found:"
                + " fake-acp")
        .contains(
            "fix: add "
                + shellBin
                + " to the service's PATH (the PATH line in "
                + unit
                + "), or run `overnight install-service` again from a shell that finds it");
  }

  @Test
  void anUnwritableWorktreeFolderIsAProblemWithItsFix() throws Exception {
    Path agent = agentScript("{}");
    Path config =
        write(config(Map.of("scripted", ScriptedAgent.argv("--script", agent.toString()))));
    Path state = dir.resolve("state");
    try (SmallDisk disk = SmallDisk.mount(state, 8L * 1024 * 1024)) {
      disk.readOnly();

      CliRun run = rehearse("--config", config.toString(), "--service", unit.toString());

      assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILURE);
      assertThat(run.out())
          .contains("PROBLEM  disk: worktrees cannot be made in " + state.resolve("worktrees"))
          .contains(
              "fix: make "
                  + state.resolve("worktrees")
                  + " writable by the service's user (and its disk writable), or set state_dir"
                  + " to a folder on a disk it can write");
    }
  }

  @Test
  void withNoInstalledServiceTheShellIsRehearsedAndThatIsSaid() throws Exception {
    Path agent = agentScript("{}");
    Path config =
        write(config(Map.of("scripted", ScriptedAgent.argv("--script", agent.toString()))));

    CliRun run =
        rehearse(
            "--config", config.toString(), "--service", dir.resolve("absent.service").toString());

    assertThat(run.out())
        .contains("context  this shell (no service installed at " + dir.resolve("absent.service"))
        .contains("warning  service: no installed service found")
        .contains("fix: run `overnight install-service --config " + config);
  }

  /** A loader that also finds the scripted constraint checker, as a plugin would be found. */
  private ProviderLoader withScriptedChecker() throws Exception {
    Path services =
        Files.createDirectories(dir.resolve("plugin/META-INF/services"))
            .resolve("dev.overnight.api.constraint.ConstraintCheckerProvider");
    Files.writeString(services, ScriptedCheckerProvider.class.getName() + "\n");
    return ProviderLoader.of(
        new URLClassLoader(
            new URL[] {dir.resolve("plugin").toUri().toURL()}, getClass().getClassLoader()));
  }

  @Test
  void doctorAndRehearseBothSayAConfigWillNeverRunHereAndWhy() throws Exception {
    Path agent = agentScript("{}");
    ObjectNode root = config(Map.of("scripted", ScriptedAgent.argv("--script", agent.toString())));
    ObjectNode constraints = root.putObject("constraints");
    constraints.put("on_unknown", "fail");
    constraints
        .putObject("checkers")
        .putObject(ScriptedCheckerProvider.NAME)
        .put("status", "unknown")
        .put("reason", "no graphical session on this headless box");
    Path config = write(root);
    ProviderLoader loader = withScriptedChecker();

    CliRun rehearsal =
        rehearse(loader, "--config", config.toString(), "--service", unit.toString());

    assertThat(rehearsal.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(rehearsal.out())
        .contains(
            "PROBLEM  this config will never run here: constraint 'scripted' cannot be read on"
                + " this machine (no graphical session on this headless box)")
        .contains("fix: set constraints.on_unknown to \"pass\", or turn 'scripted' off")
        .contains("This config will never run here");

    StringWriter out = new StringWriter();
    CommandLine doctor =
        new CommandLine(
            new DoctorCommand(
                Optional.of(file -> ConfigLoader.standard().load(file)),
                Optional.<OrchestrationConfig>empty(),
                loader,
                dir.resolve("users")));
    doctor.setOut(new PrintWriter(out, true));
    doctor.setErr(new PrintWriter(new StringWriter(), true));
    int code = doctor.execute("--config", config.toString());
    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(out.toString())
        .contains(
            "PROBLEM  this config will never run here: constraint 'scripted' cannot be read on"
                + " this machine (no graphical session on this headless box)");
  }
}
