package dev.overnight.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.FleetSettings;
import dev.overnight.api.config.OrchestrationConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchedulerIdsTest {
  private final OrchestrationConfig unnamed =
      OrchestrationConfig.builder(ConfigValue.of("/repo")).id("nightly").build();
  private final OrchestrationConfig named =
      unnamed.toBuilder().fleet(new FleetSettings(Optional.of("mac-mini"), List.of())).build();

  @Test
  void aStoreOfThisMachineAloneKeepsTheConfigsId() {
    assertThat(SchedulerIds.of(named, false, Map.of("HOSTNAME", "box"))).isEqualTo("nightly");
    assertThat(SchedulerIds.of(unnamed, false, Map.of("HOSTNAME", "box"))).isEqualTo("nightly");
  }

  @Test
  void aSharedStoreAddsTheFleetNameElseTheHostName() {
    assertThat(SchedulerIds.of(named, true, Map.of("HOSTNAME", "box")))
        .isEqualTo("nightly@mac-mini");
    assertThat(SchedulerIds.of(unnamed, true, Map.of("HOSTNAME", "box"))).isEqualTo("nightly@box");
  }

  @Test
  void theConfigIdIsReadBackFromEitherForm() {
    assertThat(SchedulerIds.configIdOf("nightly@mac-mini")).isEqualTo("nightly");
    assertThat(SchedulerIds.configIdOf("nightly")).isEqualTo("nightly");
  }
}
