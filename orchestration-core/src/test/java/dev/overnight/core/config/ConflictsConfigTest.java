package dev.overnight.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.ConflictSettings.Overlap;
import dev.overnight.api.config.ConflictSettings.Strategy;
import dev.overnight.api.config.OrchestrationConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConflictsConfigTest {
  @TempDir Path dir;

  private ConfigLoader loader() {
    return ConfigLoader.builder()
        .environment(Map.of())
        .homeDirectory(dir.resolve("home"))
        .userName("dev")
        .build();
  }

  private static String config(String conflicts) {
    return "{\"id\":\"t\",\"workspace_root\":\".\",\"schedule\":{\"expression\":\"0 2 * * *\"}"
        + (conflicts.isEmpty() ? "" : ",\"conflicts\":" + conflicts)
        + "}";
  }

  @Test
  void withoutTheSectionBranchesAreRebasedAndOverlappingTasksWait() {
    OrchestrationConfig c = loader().parse(config(""), dir, "t");

    assertThat(c.conflicts()).isEqualTo(ConflictSettings.defaults());
    assertThat(c.conflicts().strategy()).isEqualTo(Strategy.REBASE);
    assertThat(c.conflicts().overlap()).isEqualTo(Overlap.WAIT);
    assertThat(c.conflicts().historyCommits()).isEqualTo(500);
    assertThat(ConfigWriter.toJson(c)).doesNotContain("conflicts");
  }

  @Test
  void theSectionIsReadWrittenBackAndValidAgainstTheSchema() {
    OrchestrationConfig c =
        loader()
            .parse(
                config("{\"strategy\":\"merge\",\"overlap\":\"stack\",\"history_commits\":0}"),
                dir,
                "t");

    assertThat(c.conflicts()).isEqualTo(new ConflictSettings(Strategy.MERGE, Overlap.STACK, 0));
    String saved = ConfigWriter.toJson(c);
    assertThat(saved).contains("\"strategy\" : \"merge\"", "\"overlap\" : \"stack\"");
    assertThat(SchemaValidator.errors(saved)).isEmpty();
    assertThat(loader().parse(saved, dir, "t").conflicts()).isEqualTo(c.conflicts());
  }

  @Test
  void everyWrongValueIsReportedWithItsPath() {
    List<String> problems =
        loader()
            .result(
                config(
                    "{\"strategy\":\"squash\",\"overlap\":\"queue\",\"history_commits\":-1,"
                        + "\"extra\":1}"),
                dir,
                "t")
            .problems()
            .stream()
            .map(ConfigProblem::toString)
            .toList();

    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("/conflicts/strategy: \"squash\" is not a conflict strategy"))
        .anySatisfy(
            p -> assertThat(p).startsWith("/conflicts/overlap: \"queue\" is not an overlap rule"))
        .anySatisfy(p -> assertThat(p).startsWith("/conflicts/history_commits: -1 is out of range"))
        .anySatisfy(p -> assertThat(p).startsWith("/conflicts/extra"));
    assertThat(SchemaValidator.errors(config("{\"strategy\":\"squash\"}"))).isNotEmpty();
  }
}
