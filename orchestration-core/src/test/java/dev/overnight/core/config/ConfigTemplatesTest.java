package dev.overnight.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.constraint.ConstraintResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTemplatesTest {

  @Test
  void theStarterIsNamedAfterItsRepositorySoTwoRepositoriesNeverShareAStateFolder() {
    assertThat(ConfigTemplates.idFor(Path.of("/home/dev/code/My App (v2)")))
        .isEqualTo("my-app-v2-");
    assertThat(ConfigTemplates.idFor(Path.of("/home/dev/code/jsoup"))).isEqualTo("jsoup");
    assertThat(ConfigTemplates.idFor(Path.of("/home/dev/code/.hidden"))).isEqualTo("hidden");
    assertThat(ConfigTemplates.idFor(Path.of("/"))).isEqualTo("overnight");
    assertThat(ConfigTemplates.idFor(Path.of("/x/" + "a".repeat(100)))).hasSize(64);
    OrchestrationConfig a = ConfigTemplates.starter(ConfigValue.of("/home/dev/code/requests"));
    OrchestrationConfig b = ConfigTemplates.starter(ConfigValue.of("/home/dev/code/jsoup"));
    assertThat(a.id()).isEqualTo("requests").isNotEqualTo(b.id());
  }

  @Test
  void theStarterCapsWhatANightMayCost() {
    assertThat(ConfigTemplates.starter(ConfigValue.of("/w")).limits().perNight().costUsd())
        .contains(ConfigTemplates.STARTER_NIGHT_COST_USD);
  }

  @Test
  void constraintsThisMachineCannotJudgeAreLeftOutAndSaidWhy() {
    OrchestrationConfig starter = ConfigTemplates.starter(ConfigValue.of("/w"));
    assertThat(starter.constraints().enabledCheckers())
        .containsExactly("plugged_in", "wifi_only", "suspend_if_active");

    ConfigTemplates.Fitted headless =
        ConfigTemplates.fitTo(
            starter,
            Map.of(
                "plugged_in",
                    ConstraintResult.unknown("no power supply in /sys/class/power_supply"),
                "wifi_only", ConstraintResult.satisfied("wired: eth0"),
                "suspend_if_active", ConstraintResult.unknown("no graphical session")));

    assertThat(headless.config().constraints().enabledCheckers()).containsExactly("wifi_only");
    assertThat(headless.dropped())
        .containsOnly(
            Map.entry("plugged_in", "no power supply in /sys/class/power_supply"),
            Map.entry("suspend_if_active", "no graphical session"));
    ConfigTemplates.Fitted laptop =
        ConfigTemplates.fitTo(
            starter,
            Map.of(
                "plugged_in", ConstraintResult.unsatisfied("on battery (58%)"),
                "wifi_only", ConstraintResult.satisfied("wifi: wlan0"),
                "suspend_if_active", ConstraintResult.unsatisfied("idle 2 min < 15 min")));
    assertThat(laptop.config()).isEqualTo(starter);
    assertThat(laptop.dropped()).isEmpty();
  }
}
