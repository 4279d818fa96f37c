package dev.overnight.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PipelineSettings;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.pipeline.TrustBoundary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipelines.allowed_programs}: read with every problem by path, used by the boundary. */
class PipelinesConfigTest {
  @TempDir Path dir;

  private ConfigLoader loader() {
    return ConfigLoader.builder()
        .environment(Map.of())
        .homeDirectory(dir.resolve("home"))
        .userName("dev")
        .build();
  }

  private static String config(String extra) {
    return "{\"id\":\"t\",\"workspace_root\":\".\",\"schedule\":{\"expression\":\"0 2 * * *\"},"
        + "\"quality_gate\":{\"verify_command\":\"make check\"}"
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  private ConfigLoader.Result read(String json) {
    return loader().result(json, dir, "test");
  }

  @Test
  void withoutTheKeyTheProgramsTheConfigRunsAreAllowed() {
    OrchestrationConfig c = read(config("")).orElseThrow();
    assertThat(c.pipelines()).isEqualTo(PipelineSettings.defaults());
    assertThat(TrustBoundary.of(c, List.of()).programs()).containsExactly("make");
  }

  @Test
  void theListedProgramsAreTheWholeAnswer() {
    OrchestrationConfig c =
        read(config("\"pipelines\":{\"allowed_programs\":[\"mvn\",\"/usr/local/bin/lint\"]}"))
            .orElseThrow();
    assertThat(c.pipelines().allowedPrograms()).containsExactly("mvn", "/usr/local/bin/lint");
    assertThat(TrustBoundary.of(c, List.of()).programs())
        .containsExactlyInAnyOrder("mvn", "/usr/local/bin/lint");
    assertThat(TrustBoundary.of(c, List.of()).allowsProgram("make")).isFalse();
    assertThat(read(ConfigWriter.toJson(c)).orElseThrow()).isEqualTo(c);
  }

  @Test
  void anEmptyListAllowsNoProgramAndAManifestRunningOneIsRefusedWithItsPath() throws Exception {
    OrchestrationConfig c = read(config("\"pipelines\":{\"allowed_programs\":[]}")).orElseThrow();
    assertThat(read(ConfigWriter.toJson(c)).orElseThrow()).isEqualTo(c);
    Path manifest = dir.resolve("lint.yaml");
    Files.writeString(
        manifest,
        "name: lint\nsteps:\n  - id: lint\n    op: command\n    with:\n      run: make lint\n");
    List<ConfigProblem> refusals =
        Pipelines.builtIn(dir)
            .boundary(c, List.of())
            .refusals(Pipelines.builtIn(dir).catalog().load("lint.yaml"));
    assertThat(refusals)
        .extracting(ConfigProblem::toString)
        .singleElement()
        .asString()
        .contains("/steps/0/with/run")
        .contains("runs \"make\", which the config does not run")
        .contains("pipelines.allowed_programs");
  }

  @Test
  void everyBadEntryIsReportedByItsPath() {
    ConfigLoader.Result r =
        read(
            config(
                "\"pipelines\":{\"allowed_programs\":[\"mvn\",\"mvn\",3,\"\",\"make -j4\","
                    + "\"./gradlew\",\"${TOOL}\"],\"allow\":true}"));
    assertThat(r.problems())
        .extracting(ConfigProblem::toString)
        .anySatisfy(
            p -> assertThat(p).startsWith("/pipelines/allowed_programs/1").contains("twice"))
        .anySatisfy(
            p -> assertThat(p).startsWith("/pipelines/allowed_programs/2").contains("string"))
        .anySatisfy(
            p -> assertThat(p).startsWith("/pipelines/allowed_programs/3").contains("empty"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("/pipelines/allowed_programs/4")
                    .contains("program's name"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("/pipelines/allowed_programs/5")
                    .contains("program's name"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("/pipelines/allowed_programs/6")
                    .contains("program's name"))
        .anySatisfy(p -> assertThat(p).startsWith("/pipelines/allow").contains("unknown key"));
  }
}
