package dev.overnight.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.pipeline.StepStatus;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.pipeline.internal.BuiltInOperations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PipelineLoaderTest {
  private static final PipelineLoader LOADER = PipelineLoader.of(BuiltInOperations.all());

  @TempDir Path dir;

  private static List<String> problems(String text) {
    try {
      LOADER.read("test", text);
    } catch (ConfigException e) {
      return e.problems().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("no problem found in:\n" + text);
  }

  @Test
  void aYamlManifestReadsWithInputsStepsConditionsRetriesAndBudgets() {
    PipelineManifest m =
        LOADER.read(
            "test",
            """
            name: upgrade
            description: Upgrade it
            inputs:
              dependency: {description: what}
              version: {default: "2.0"}
            permissions: {mode: read_only}
            budget: {tokens: 1000, cost_usd: 2.5, agent_seconds: 600}
            steps:
              - id: build
                op: quality_gate
                continue_on_failure: true
              - id: fix
                op: agent_turn
                when: build.failed
                retries: 2
                budget: {agent_seconds: 60}
                with:
                  prompt: "Fix ${inputs.dependency}: ${steps.build.output}"
            """);

    assertThat(m.name()).isEqualTo("upgrade");
    assertThat(m.inputs())
        .containsExactly(
            new PipelineManifest.Input("dependency", "what", true, Optional.empty()),
            new PipelineManifest.Input("version", "", false, Optional.of("2.0")));
    assertThat(m.permissions().mode()).contains(PermissionMode.READ_ONLY);
    assertThat(m.budget().tokens()).contains(1000L);
    assertThat(m.budget().costUsd()).contains(2.5);
    PipelineManifest.Step fix = m.step("fix").orElseThrow();
    assertThat(fix.when())
        .contains(new PipelineManifest.Condition("build", StepStatus.FAILED, false));
    assertThat(fix.retries()).isEqualTo(2);
    assertThat(fix.budget().agentSeconds()).contains(60L);
    assertThat(fix.with())
        .containsEntry("prompt", "Fix ${inputs.dependency}: ${steps.build.output}");
    assertThat(m.step("build").orElseThrow().continueOnFailure()).isTrue();
    assertThat(m.hash()).hasSize(64);
  }

  @Test
  void jsonReadsTooAndTheHashIsTheTextsSha256() {
    String json = "{\"name\": \"one\", \"steps\": [{\"id\": \"gate\", \"op\": \"quality_gate\"}]}";

    PipelineManifest m = LOADER.read("test", json);

    assertThat(m.steps()).hasSize(1);
    assertThat(m.hash()).isEqualTo(PipelineLoader.hash(json));
    assertThat(m.hash()).isNotEqualTo(PipelineLoader.hash(json + " "));
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsJsonPath() {
    List<String> problems =
        problems(
            """
            name: Bad Name
            stpes: []
            inputs:
              file: {description: the file, default: 3}
            steps:
              - id: write
                op: agent_trun
                with: {prompt: "Test ${inputs.fiel}"}
              - id: write
                op: command
                with: {run: "mvn test", timeotu_sec: "5"}
              - id: later
                op: agent_turn
                when: missing.failed
                retries: 9
                with: {prompt: "${steps.after.output} ${env.HOME}"}
              - id: gate
                op: quality_gate
                when: write.exploded
              - id: pr
                op: open_pr
                budget: {tokens: -1}
                permissions: {mode: root}
            """);

    assertThat(problems)
        .containsExactlyInAnyOrder(
            "/name: \"Bad Name\" is not a pipeline name: lower case letters, digits and '-'",
            "/stpes: unknown key; did you mean \"steps\"?",
            "/inputs/file/default: expected a string but found a number (3)",
            "/steps/0/op: no operation \"agent_trun\"; did you mean \"agent_turn\"?",
            "/steps/0/with/prompt: ${inputs.fiel} names no declared input",
            "/steps/1/id: \"write\" is the id of an earlier step",
            "/steps/1/with/timeotu_sec: unknown parameter; did you mean \"timeout_sec\"?",
            "/steps/2/when: \"missing\" is not an earlier step",
            "/steps/2/retries: 9 is out of range: must be between 0 and 5",
            "/steps/2/with/prompt: ${steps.after.output} names no earlier step",
            "/steps/2/with/prompt: ${env.HOME} is not a template: use ${inputs.NAME} or"
                + " ${steps.ID.OUTPUT}",
            "/steps/3/when: \"write.exploded\" is not a condition: write STEP.succeeded,"
                + " STEP.failed, STEP.skipped or STEP.unavailable, optionally after \"not \"",
            "/steps/4/budget/tokens: -1 is out of range: must be a positive integer",
            "/steps/4/permissions/mode: \"root\" is not a permission mode: read_only, unattended"
                + " or allow_all");
  }

  @Test
  void aMissingRequiredParameterAndMissingStepsAreNamed() {
    assertThat(problems("name: x\nsteps:\n  - {id: a, op: command}\n"))
        .containsExactly("/steps/0/with: operation \"command\" needs \"run\"");
    assertThat(problems("name: x\n")).containsExactly("/steps: is required");
    assertThat(problems("name: x\nsteps: []\n"))
        .containsExactly("/steps: must hold at least one step");
  }

  @Test
  void aDocumentThatIsNotAManifestSaysSo() {
    assertThat(problems("- a\n- b\n")).containsExactly("/: expected an object but found a list");
    assertThat(problems("name: a\nname: b\nsteps: []\n").get(0))
        .startsWith("/: is not valid YAML: Duplicate field 'name'");
  }

  @Test
  void aFileIsReadAndItsPathNamesTheSource() throws Exception {
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, "name: x\nsteps:\n  - {id: a, op: nope}\n");

    assertThatThrownBy(() -> LOADER.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("/steps/0/op: no operation \"nope\"");
  }

  static List<String> builtIns() {
    return PipelineCatalog.BUILT_IN;
  }

  @ParameterizedTest
  @MethodSource("builtIns")
  void everyBuiltInManifestLoadsAndMatchesThePublishedSchema(String name) throws Exception {
    String text = PipelineCatalog.builtInText(PipelineCatalog.PREFIX + name).orElseThrow();

    PipelineManifest m = new PipelineCatalog(LOADER, dir).load(PipelineCatalog.reference(name));

    assertThat(m.name()).isEqualTo(name);
    String json = OvernightJson.write(OvernightJson.readYaml(text));
    assertThat(schemaErrors(json)).isEmpty();
  }

  @Test
  void theSchemaRejectsWhatTheLoaderRejects() {
    assertThat(
            schemaErrors(
                "{\"name\": \"x\", \"steps\": [{\"id\": \"a\", \"op\": \"command\", \"retries\": 9}]}"))
        .isNotEmpty();
    assertThat(
            schemaErrors(
                "{\"name\": \"x\", \"steps\": [{\"id\": \"a\", \"op\": \"quality_gate\", \"when\": \"a.exploded\"}]}"))
        .isNotEmpty();
    assertThat(schemaErrors("{\"name\": \"x\", \"stpes\": []}")).isNotEmpty();
  }

  private static List<String> schemaErrors(String json) {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    Schema s =
        registry.getSchema(
            SchemaLocation.of(
                "classpath:" + OvernightJson.SCHEMA_FOLDER.substring(1) + "pipeline.schema.json"));
    return s.validate(json, InputFormat.JSON).stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
        .toList();
  }
}
