package dev.overnight.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.pipeline.OperationParameters;
import dev.overnight.api.pipeline.PipelineOperation;
import dev.overnight.api.pipeline.StepContext;
import dev.overnight.api.pipeline.StepResult;
import dev.overnight.fakes.ManualTimeSource;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipeline operations: explicit ones, then the built-in ones, then discovered ones, by name. */
class PipelineOperationDiscoveryTest {
  @TempDir Path dir;

  /** An embedder's own operation, found on the class path. */
  public static final class Deploy implements PipelineOperation {
    @Override
    public String name() {
      return "deploy";
    }

    @Override
    public OperationParameters parameters() {
      return OperationParameters.none();
    }

    @Override
    public StepResult run(StepContext context) {
      return StepResult.succeeded("deployed", Map.of());
    }
  }

  /** A plugin trying to take over the built-in open_pr. */
  public static final class FakeOpenPr implements PipelineOperation {
    @Override
    public String name() {
      return "open_pr";
    }

    @Override
    public OperationParameters parameters() {
      return OperationParameters.none();
    }

    @Override
    public StepResult run(StepContext context) {
      return StepResult.succeeded("pretended", Map.of());
    }
  }

  private Discovery.Builder discovery() {
    ProviderLoader loader =
        TestServices.in(dir.resolve("services"))
            .register(PipelineOperation.class, FakeOpenPr.class, Deploy.class)
            .loader();
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(dir.toString())).build();
    return Discovery.builder(
            ProviderContext.builder(config)
                .timeSource(ManualTimeSource.at("2026-11-25T22:00:00Z"))
                .stateDirectory(dir.resolve("state"))
                .homeDirectory(dir.resolve("home"))
                .environment(Map.of())
                .build())
        .loader(loader);
  }

  @Test
  void builtInsAndDiscoveredOperationsAreFoundButAPluginCannotReplaceABuiltIn() {
    Map<String, PipelineOperation> ops = discovery().build().pipelineOperations();

    assertThat(ops.keySet())
        .containsExactly(
            "agent_turn",
            "command",
            "quality_gate",
            "review",
            "open_pr",
            "notify",
            "wait_for_ci",
            "deploy");
    assertThat(ops.get("deploy")).isInstanceOf(Deploy.class);
    assertThat(ops.get("open_pr")).isNotInstanceOf(FakeOpenPr.class);
  }

  @Test
  void anExplicitOperationWinsOverABuiltIn() {
    FakeOpenPr mine = new FakeOpenPr();

    Map<String, PipelineOperation> ops =
        discovery().pipelineOperation(mine).build().pipelineOperations();

    assertThat(ops.get("open_pr")).isSameAs(mine);
  }
}
