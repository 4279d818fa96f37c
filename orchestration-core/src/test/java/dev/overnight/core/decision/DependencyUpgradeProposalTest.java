package dev.overnight.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.Availability;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionExplanation;
import dev.overnight.api.decision.PipelineProposal;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.decision.internal.DependencySource;
import dev.overnight.core.decision.internal.PlanRenderer;
import dev.overnight.core.decision.internal.TestsSource;
import dev.overnight.core.pipeline.PipelineCatalog;
import dev.overnight.core.pipeline.PipelineProposals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evidence engine proposes the built-in {@code upgrade-dependency} pipeline for a dependency a
 * build file pins below a release this machine or the repository knows of.
 */
class DependencyUpgradeProposalTest {
  static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path tmp;

  static final String POM =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <project xmlns="http://maven.apache.org/POM/4.0.0">
        <modelVersion>4.0.0</modelVersion>
        <groupId>org.example</groupId>
        <artifactId>app</artifactId>
        <version>1.0.0-SNAPSHOT</version>
        <properties>
          <jackson.version>2.15.0</jackson.version>
        </properties>
        <dependencies>
          <dependency>
            <groupId>com.fasterxml.jackson.core</groupId>
            <artifactId>jackson-databind</artifactId>
            <version>${jackson.version}</version>
          </dependency>
          <dependency>
            <groupId>com.google.guava</groupId>
            <artifactId>guava</artifactId>
            <version>32.1.0-jre</version>
          </dependency>
          <dependency>
            <groupId>org.example</groupId>
            <artifactId>unknown-here</artifactId>
            <version>1.0</version>
          </dependency>
        </dependencies>
      </project>
      """;

  /** A local Maven repository holding the given releases (folder and POM, as Maven leaves them). */
  Path mavenRepository(Map<String, List<String>> releases) {
    Path repo = tmp.resolve("m2");
    releases.forEach(
        (ga, versions) -> {
          String[] p = ga.split(":");
          for (String v : versions) {
            Path dir = repo.resolve(p[0].replace('.', '/')).resolve(p[1]).resolve(v);
            try {
              Files.createDirectories(dir);
              Files.writeString(dir.resolve(p[1] + "-" + v + ".pom"), "<project/>");
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
    return repo;
  }

  Path folder(String name) {
    try {
      return Files.createDirectories(tmp.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  OrchestrationConfig config(Path ws) {
    return OrchestrationConfig.builder(ConfigValue.of(ws.toString()))
        .id("nightly")
        .decision(DecisionSettings.defaults().withEngine(EvidenceDecisionEngine.NAME))
        .build();
  }

  DecisionInputs inputs(OrchestrationConfig cfg, Path m2, Set<String> finished) {
    return DecisionInputs.builder(cfg, InstantSource.fixed(NOW))
        .candidateSources(List.of(new TestsSource(), new DependencySource(Optional.of(m2))))
        .finishedOpHashes(finished)
        .agents(
            Map.of(
                "claude-code", Availability.available("on PATH"),
                "codex", Availability.available("on PATH")))
        .build();
  }

  Path mavenProject() {
    Path ws = folder("app");
    GitRepo.init(ws).commit(NOW.minusSeconds(86_400).toString(), "start", Map.of("pom.xml", POM));
    return ws;
  }

  Path m2() {
    return mavenRepository(
        Map.of(
            "com.fasterxml.jackson.core:jackson-databind",
                List.of("2.14.2", "2.15.0", "2.17.2", "3.0.0-rc1"),
            "com.google.guava:guava", List.of("32.1.0-jre", "33.2.1-android", "33.2.1-jre")));
  }

  @Test
  void anOutdatedDependencyBecomesAnUpgradePipelineWithinTheTrustBoundary() {
    Path ws = mavenProject();
    OrchestrationConfig cfg = config(ws);
    PlanReport plan =
        new DecisionPlanner(new EvidenceDecisionEngine()).plan(inputs(cfg, m2(), Set.of()));
    DecisionContext ctx = plan.context();

    List<Candidate> upgrades =
        ctx.candidates().stream()
            .filter(c -> c.kind() == CandidateKind.DEPENDENCY_UPGRADE)
            .toList();
    assertThat(upgrades)
        .extracting(c -> c.pipeline().orElseThrow())
        .containsExactlyInAnyOrder(
            new PipelineProposal(
                "upgrade-dependency",
                Map.of(
                    "dependency",
                    "com.fasterxml.jackson.core:jackson-databind",
                    "version",
                    "2.17.2")),
            new PipelineProposal(
                "upgrade-dependency",
                Map.of("dependency", "com.google.guava:guava", "version", "33.2.1-jre")));

    DecisionExplanation e = plan.explanation();
    Decision d = e.decision().orElseThrow();
    TaskSpec spec = d.toTaskSpec();
    assertThat(TaskFacts.PIPELINE.from(spec.metadata())).contains("builtin:upgrade-dependency");
    assertThat(TaskFacts.PIPELINE_HASH.from(spec.metadata()))
        .contains(PipelineProposals.builtIn("builtin:upgrade-dependency").orElseThrow().hash());
    // Within the same major line comes first: 2.15.0 → 2.17.2 before Guava's new major.
    assertThat(TaskFacts.PIPELINE_INPUTS.from(spec.metadata()).orElseThrow())
        .contains("\"version\":\"2.17.2\"")
        .contains("com.fasterxml.jackson.core:jackson-databind");
    assertThat(d.prompt()).startsWith("Pipeline upgrade-dependency").contains("version = 2.17.2");
    assertThat(d.rationale()).contains("Runs the upgrade-dependency pipeline");

    String text = PlanRenderer.text(plan);
    assertThat(text)
        .contains("Pipeline     builtin:upgrade-dependency (manifest ")
        .contains(
            "Inputs       dependency = com.fasterxml.jackson.core:jackson-databind;"
                + " version = 2.17.2")
        .contains("Steps        1. bump (agent_turn)")
        .contains("3. fix (agent_turn, when build.failed)")
        .contains("5. pr (open_pr)");
    assertThat(PlanRenderer.json(plan)).contains("\"name\" : \"upgrade-dependency\"");
  }

  @Test
  void aFinishedUpgradeIsPassedOverForTheNext() {
    Path ws = mavenProject();
    OrchestrationConfig cfg = config(ws);
    DecisionContext first = inputs(cfg, m2(), Set.of()).gather().context();
    Decision d = new EvidenceDecisionEngine().decide(first).orElseThrow();
    String done = d.toTaskSpec().opHash();

    DecisionExplanation next =
        new EvidenceDecisionEngine().explain(inputs(cfg, m2(), Set.of(done)).gather().context());

    assertThat(next.passedOver()).extracting(p -> p.opHash()).contains(done);
    assertThat(next.decision().orElseThrow().prompt())
        .startsWith("Pipeline upgrade-dependency")
        .contains("dependency = com.google.guava:guava");
  }

  @Test
  void packagesOfOneRepositoryDriftingApartAreAligned() {
    Path ws = folder("mono");
    GitRepo.init(ws)
        .commit(
            NOW.minusSeconds(86_400).toString(),
            "start",
            Map.of(
                "packages/a/package.json",
                "{\"name\":\"a\",\"dependencies\":{\"lodash\":\"^4.17.15\",\"left-pad\":\"*\"}}",
                "packages/b/package.json",
                "{\"name\":\"b\",\"devDependencies\":{\"lodash\":\"4.17.21\"}}"));
    DecisionContext ctx = inputs(config(ws), tmp.resolve("no-m2"), Set.of()).gather().context();

    assertThat(ctx.candidates())
        .filteredOn(c -> c.kind() == CandidateKind.DEPENDENCY_UPGRADE)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.files()).containsExactly("packages/a/package.json");
              assertThat(c.pipeline().orElseThrow().inputs())
                  .containsEntry("dependency", "lodash")
                  .containsEntry("version", "4.17.21");
              assertThat(c.evidence().get(1).detail())
                  .contains("another build file of this repository");
            });
  }

  @Test
  void onlyABuiltInManifestWithItsOwnInputsMayBeProposed() {
    OrchestrationConfig cfg = config(tmp);
    assertThat(
            PipelineProposals.check(
                new PipelineProposal("pipelines/mine.yaml", Map.of()), cfg, List.of("claude-code")))
        .isInstanceOfSatisfying(
            PipelineProposals.Refused.class,
            r -> assertThat(r.reason()).contains("is not a pipeline Overnight ships"));
    assertThat(
            PipelineProposals.check(
                new PipelineProposal(
                    "upgrade-dependency", Map.of("dependency", "x", "shell", "rm")),
                cfg,
                List.of("claude-code")))
        .isInstanceOfSatisfying(
            PipelineProposals.Refused.class,
            r ->
                assertThat(r.reason())
                    .contains("/inputs/version: is required")
                    .contains("/inputs/shell: is not an input of pipeline upgrade-dependency"));
    assertThat(
            PipelineProposals.check(
                new PipelineProposal(
                    PipelineCatalog.PREFIX + "add-tests", Map.of("file", "src/a.py")),
                cfg,
                List.of("claude-code")))
        .isInstanceOf(PipelineProposals.Accepted.class);
  }
}
