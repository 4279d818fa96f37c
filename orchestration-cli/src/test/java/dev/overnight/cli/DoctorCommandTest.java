package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.store.Store;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.ProviderLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code overnight doctor} for real on this machine, through picocli. */
class DoctorCommandTest {
  @TempDir Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(DoctorCommand command, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private OrchestrationConfig config(boolean pluggedIn) {
    Constraints c =
        new Constraints(
            pluggedIn,
            false,
            false,
            Optional.empty(),
            false,
            false,
            10,
            UnknownPolicy.FAIL,
            Duration.ofSeconds(5),
            Duration.ofMinutes(1),
            Map.of());
    return OrchestrationConfig.builder(ConfigValue.of(temp.toString()))
        .constraints(c)
        .stateDir(ConfigValue.of(temp.resolve("state").toString()))
        .build();
  }

  @Test
  void jsonReportsEveryBuiltInCheckerWithStatusAndReason() throws Exception {
    int exit = run(new DoctorCommand(config(true)), "--json");

    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("config").get("source").asText()).isEqualTo("given by the caller");
    assertThat(json.get("system").get("os_name").asText()).isEqualTo(System.getProperty("os.name"));
    List<String> names = new java.util.ArrayList<>();
    for (JsonNode c : json.get("checkers")) {
      names.add(c.get("name").asText());
      assertThat(c.get("status").asText()).isIn("SATISFIED", "UNSATISFIED", "UNKNOWN");
      assertThat(c.get("reason").asText()).isNotBlank();
      if (OsFamily.current() == OsFamily.LINUX) {
        // Both platform modules are on the class path: Linux serves, macOS says why it cannot.
        assertThat(c.get("provider").asText()).startsWith("dev.overnight.linux.");
        assertThat(c.get("candidates").size()).isEqualTo(2);
        JsonNode mac = candidate(c, "dev.overnight.macos.");
        assertThat(mac.get("supported").asBoolean()).isFalse();
        assertThat(mac.get("note").asText()).startsWith("not supported on ");
      }
    }
    assertThat(names).containsAll(Constraints.BUILT_IN);
    assertThat(json.get("checkers").get(0).get("enabled").asBoolean()).isTrue();
    assertThat(json.get("keep_awake").get("implementation").asText()).isNotBlank();
    assertThat(json.get("tools").get(0).get("name").asText()).isEqualTo("git");
    assertThat(json.get("tools").get(0).get("ok").asBoolean()).isTrue();
    assertThat(json.get("state").get(0).get("path").asText())
        .isEqualTo(temp.resolve("state").toString());
    assertThat(exit).isEqualTo(json.get("healthy").asBoolean() ? 0 : 1);
  }

  private static JsonNode candidate(JsonNode checker, String prefix) {
    for (JsonNode k : checker.get("candidates")) {
      if (k.get("class").asText().startsWith(prefix)) {
        return k;
      }
    }
    throw new AssertionError("no candidate " + prefix + " in " + checker);
  }

  @Test
  void textReportHasEverySection() {
    run(new DoctorCommand(config(false)));
    assertThat(out.toString())
        .startsWith("Overnight doctor (")
        .contains("\nSystem\n", "\nConfig\n", "\nConstraint checkers\n", "\nKeep-awake\n")
        .contains("\nAgents\n", "\nTools\n", "\nState\n", "\nSummary\n")
        .contains("plugged_in")
        .contains("not enabled in config");
  }

  @Test
  void aConfigFileIsReadWithTheGivenReader() throws Exception {
    Path file = temp.resolve("overnight.json");
    DoctorCommand command =
        new DoctorCommand(
            Optional.of(f -> config(true)),
            Optional.empty(),
            ProviderLoader.standard(),
            temp.resolve("default-state"));
    run(command, "--json", "--config", file.toString());
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("config").get("source").asText())
        .isEqualTo(file.toAbsolutePath().toString());
    assertThat(json.get("config").get("enabled_checkers").get(0).asText()).isEqualTo("plugged_in");
  }

  @Test
  void anInvalidConfigFileExitsWithTwoAndItsProblems() {
    DoctorCommand command =
        new DoctorCommand(
            f -> {
              throw new ConfigException(
                  f.toString(),
                  List.of(
                      new ConfigProblem(
                          "/constraints/cpu_max_percentage", "must be a percentage")));
            });
    int exit = run(command, "--config", temp.resolve("bad.json").toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("/constraints/cpu_max_percentage: must be a percentage");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void withoutAReaderTheConfigFileIsNotedAndDefaultsAreExamined() throws Exception {
    Path file = temp.resolve("overnight.json");
    run(
        new DoctorCommand(
            Optional.empty(), Optional.empty(), ProviderLoader.standard(), temp.resolve("s")),
        "--json",
        "--config",
        file.toString());
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("config").get("source").asText())
        .startsWith(file.toAbsolutePath().toString())
        .contains("not read");
    assertThat(json.get("config").get("enabled_checkers").size()).isZero();
  }

  @Test
  void theStateFolderIsTheOneEveryOtherCommandUses() throws Exception {
    OrchestrationConfig withoutStateDir =
        OrchestrationConfig.builder(ConfigValue.of(temp.toString())).id("nightly").build();
    Path base = temp.resolve("user-base");
    run(
        new DoctorCommand(
            Optional.empty(), Optional.of(withoutStateDir), ProviderLoader.standard(), base),
        "--json");
    assertThat(statePath()).isEqualTo(base.resolve("nightly").toString());

    out.getBuffer().setLength(0);
    Path explicit = temp.resolve("explicit");
    run(new DoctorCommand(config(false)), "--json", "--state-dir", explicit.toString());
    assertThat(statePath()).isEqualTo(explicit.toString());
  }

  private String statePath() throws Exception {
    JsonNode state = new ObjectMapper().readTree(out.toString()).get("state");
    for (JsonNode n : state) {
      if (n.get("role").asText().equals("state folder")) {
        return n.get("path").asText();
      }
    }
    throw new AssertionError("no state folder in " + state);
  }

  @Test
  void aStateFolderAnotherConfigurationUsedIsAWarningNamingIt() throws Exception {
    OrchestrationConfig app = config(false);
    OrchestrationConfig web = app.toBuilder().id("web").build();
    StatePaths shared = new StatePaths(temp.resolve("state"));
    try (Store store = OvernightRuntime.openStore(web, shared)) {
      store
          .taskQueue()
          .enqueue(
              TaskSpec.builder("Add tests for Router")
                  .metadata(TaskFacts.CONFIG_ID.key(), "web")
                  .build());
    }

    run(new DoctorCommand(app), "--json");

    assertThat(new ObjectMapper().readTree(out.toString()).get("warnings"))
        .extracting(JsonNode::asText)
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith(
                        "state folder "
                            + shared.root()
                            + " is shared with configuration \"web\" (1 task)"));
  }

  @Test
  void helpNamesTheOptions() {
    assertThat(run(new DoctorCommand(), "--help")).isZero();
    assertThat(out.toString()).contains("--json", "--config=FILE", "--state-dir=DIR");
  }
}
