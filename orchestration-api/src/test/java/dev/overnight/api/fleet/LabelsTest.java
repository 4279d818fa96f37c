package dev.overnight.api.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelsTest {

  @Test
  void labelsAreCheckedSortedAndDeduplicated() {
    assertThat(Labels.of(List.of("os:linux", "gpu", "gpu", "agent:codex")))
        .containsExactly("agent:codex", "gpu", "os:linux");
    assertThat(Labels.problem("site office")).isPresent();
    assertThat(Labels.problem("a,b")).isPresent();
    assertThat(Labels.problem("")).isPresent();
    assertThat(Labels.problem("x".repeat(Labels.MAX_LENGTH + 1))).isPresent();
    assertThat(Labels.problem("repo:github.com/acme/shop")).isEmpty();
    assertThatThrownBy(() -> Labels.of(List.of("ok", "not ok")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not ok");
  }

  @Test
  void aWorkerSatisfiesATaskWhenItCarriesEveryRequiredLabel() {
    Set<String> mac = Set.of("os:macos", "agent:codex");
    assertThat(Labels.satisfies(mac, Set.of())).isTrue();
    assertThat(Labels.satisfies(mac, Set.of("os:macos"))).isTrue();
    assertThat(Labels.satisfies(mac, Set.of("os:macos", "gpu"))).isFalse();
    assertThat(Labels.worker("mini-1")).isEqualTo("worker:mini-1");
  }

  @Test
  void requiredLabelsTravelSortedInTheMetadataAndReadBackAsASet() {
    TaskSpec spec =
        TaskSpec.builder("work").requiredLabels(List.of("os:macos", "agent:codex")).build();

    assertThat(spec.metadata()).containsEntry("required_labels", "agent:codex,os:macos");
    assertThat(TaskFacts.REQUIRED_LABELS.from(spec.metadata()))
        .contains(Set.of("agent:codex", "os:macos"));
    assertThat(TaskSpec.builder("work").requiredLabels(List.of()).build().metadata())
        .doesNotContainKey("required_labels");
  }

  @Test
  void aSpecWhoseRequiredLabelsDoNotReadIsRefusedRatherThanRunAnywhere() {
    assertThatThrownBy(
            () ->
                TaskSpec.builder("work")
                    .metadata(Map.of("required_labels", "os:macos, gpu"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("required labels");
  }

  @Test
  void workerStatesHaveKeysAndOnlyConstraintsUnmetNamesAny() {
    assertThat(WorkerState.Kind.WAITING_FOR_WINDOW.key()).isEqualTo("waiting_for_window");
    assertThat(WorkerState.constraintsUnmet(List.of("plugged_in: on battery")).unmet())
        .containsExactly("plugged_in: on battery");
    assertThatThrownBy(() -> new WorkerState(WorkerState.Kind.IDLE, List.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(WorkerRegistry.none().workers()).isEmpty();
  }
}
