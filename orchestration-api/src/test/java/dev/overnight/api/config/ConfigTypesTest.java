package dev.overnight.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigTypesTest {

  @Test
  void catchUpIsAnAliasOfRunOnce() {
    assertThat(MissedRunPolicy.parse("catch_up"))
        .contains(MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY);
    assertThat(MissedRunPolicy.parse("skip")).contains(MissedRunPolicy.SKIP);
    assertThat(MissedRunPolicy.parse("sometimes")).isEmpty();
  }

  @Test
  void exceptionListsEveryProblemSortedByPath() {
    ConfigException e =
        new ConfigException(
            "a.json",
            List.of(
                new ConfigProblem("/time_budget_sec", "too small"),
                new ConfigProblem("/id", "missing")));
    assertThat(e.getMessage())
        .isEqualTo(
            "Invalid configuration a.json (2 problems):\n  /id: missing\n  /time_budget_sec: too small");
    assertThatThrownBy(() -> new ConfigException("x", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void enabledCheckersListsBuiltInsThenPlugins() {
    Constraints c =
        new Constraints(
            true,
            false,
            false,
            Optional.of(80.0),
            false,
            true,
            10,
            UnknownPolicy.FAIL,
            Constraints.DEFAULT_CHECK_TIMEOUT,
            Constraints.DEFAULT_RECHECK_INTERVAL,
            Map.of("host_reachable", Map.of("host", "ci.local")));
    assertThat(c.enabledCheckers())
        .containsExactly("plugged_in", "cpu_max_percentage", "suspend_if_active", "host_reachable");
  }

  @Test
  void preferencesHonourTheAllowList() {
    AgentPreferences p = new AgentPreferences(List.of("gemini", "codex"), List.of("codex"));
    assertThat(p.firstPreferred()).contains("codex");
    assertThat(p.allows("gemini")).isFalse();
    assertThat(AgentPreferences.none().allows("anything")).isTrue();
  }

  @Test
  void aConfigCopyEqualsByValueAndChangesOnlyWhatItSets() {
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of("/repo")).goals(List.of("tests")).build();
    OrchestrationConfig copy = config.toBuilder().build();
    OrchestrationConfig longer = config.toBuilder().timeBudgetSec(3600).build();

    assertThat(copy).isEqualTo(config).hasSameHashCodeAs(config);
    assertThat(longer).isNotEqualTo(config);
    assertThat(longer.goals()).containsExactly("tests");
    assertThat(longer.timeBudgetSec()).isEqualTo(3600);
    assertThat(config.timeBudgetSec()).isEqualTo(OrchestrationConfig.DEFAULT_TIME_BUDGET_SEC);
    assertThat(config.toString()).contains("timeBudgetSec=1800");
  }
}
