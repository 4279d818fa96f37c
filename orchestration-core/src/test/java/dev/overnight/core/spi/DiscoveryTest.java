package dev.overnight.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.Availability;
import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.ProviderContext;
import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentCapabilities;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentProviderFactory;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.TranscriptReader;
import dev.overnight.api.config.AgentPreferences;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionRecord;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.store.Store;
import dev.overnight.api.store.StoreProvider;
import dev.overnight.core.decision.EvidenceDecisionEngine;
import dev.overnight.core.decision.HeuristicDecisionEngine;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.fakes.RecordingKeepAwake;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One discovery for every pluggable part: explicit wins, then ServiceLoader order, once each. */
class DiscoveryTest {
  static final ManualTimeSource TIME = ManualTimeSource.at("2026-11-25T22:00:00Z");

  @TempDir Path dir;

  OrchestrationConfig.Builder config() {
    return OrchestrationConfig.builder(ConfigValue.of(dir.toString()));
  }

  ProviderContext context(OrchestrationConfig config) {
    return ProviderContext.builder(config)
        .timeSource(TIME)
        .stateDirectory(dir.resolve("state"))
        .homeDirectory(dir.resolve("home"))
        .environment(Map.of())
        .build();
  }

  Discovery.Builder discovery(OrchestrationConfig config, ProviderLoader loader) {
    return Discovery.builder(context(config)).loader(loader);
  }

  @Nested
  class Agents {
    @Test
    void explicitAgentsComeFirstThenEachFactoryInDiscoveryOrderTheFirstIdWinning() {
      ProviderLoader loader =
          TestServices.in(dir.resolve("services"))
              .register(
                  AgentProviderFactory.class,
                  FirstFactory.class,
                  BrokenFactory.class,
                  SecondFactory.class)
              .loader();
      Discovery d =
          discovery(config().build(), loader).agentProvider(new FakeAgent("a", "explicit")).build();

      assertThat(d.agents())
          .extracting(a -> a.id() + "=" + ((FakeAgent) a).source)
          .containsExactly("a=explicit", "b=first", "c=second");
      assertThat(d.problems())
          .singleElement()
          .asString()
          .contains(BrokenFactory.class.getName())
          .contains("factory broke");
      assertThat(d.agent("c")).containsInstanceOf(FakeAgent.class);
      assertThat(d.agent("nobody")).isEmpty();
    }

    @Test
    void factoriesAreGivenTheRuntimesTimeSource() {
      ProviderLoader loader =
          TestServices.in(dir.resolve("services"))
              .register(AgentProviderFactory.class, FirstFactory.class)
              .loader();
      Discovery d = discovery(config().build(), loader).build();

      assertThat(d.agents()).allSatisfy(a -> assertThat(((FakeAgent) a).time).isSameAs(TIME));
    }

    @Test
    void everyAgentTheConfigMayNameIsListedAndUnservedOnesSayWhatToAdd() {
      OrchestrationConfig cfg =
          config().agentPreferences(new AgentPreferences(List.of("my-agent"), List.of())).build();
      Discovery d =
          discovery(cfg, ProviderLoader.none())
              .agentProvider(new FakeAgent("flaky", "explicit", true))
              .build();

      Map<String, Availability> all = d.agentAvailability();
      assertThat(all).containsOnlyKeys("flaky", "claude-code", "codex", "gemini", "my-agent");
      assertThat(all.get("my-agent").toString())
          .isEqualTo(
              "no provider for agent my-agent on the class path (add"
                  + " dev.overnight:orchestration-agents-acp)");
      assertThat(all.get("flaky").available()).isFalse();
      assertThat(all.get("flaky").reason()).startsWith("checking flaky failed:");
    }

    @Test
    void addingTwoAgentsWithOneIdIsRefused() {
      Discovery.Builder b =
          discovery(config().build(), ProviderLoader.none()).agentProvider(new FakeAgent("a", "1"));
      assertThatThrownBy(() -> b.agentProvider(new FakeAgent("a", "2")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'a'");
    }
  }

  @Nested
  class KeepAwakes {
    @Test
    void theSupportedProviderWithTheLowestOrderIsChosen() {
      ProviderLoader loader =
          TestServices.in(dir.resolve("services"))
              .register(
                  KeepAwakeProvider.class,
                  UnsupportedKeepAwake.class,
                  ThrowingKeepAwake.class,
                  LateKeepAwake.class,
                  EarlyKeepAwake.class)
              .loader();
      Discovery d = discovery(config().build(), loader).build();

      assertThat(d.keepAwakeProviders()).hasSize(4);
      assertThat(d.keepAwakeProvider()).containsInstanceOf(EarlyKeepAwake.class);
      assertThat(d.keepAwake()).isInstanceOf(RecordingKeepAwake.class);
    }

    @Test
    void anExplicitKeepAwakeWinsAndNoneFoundMeansNoop() {
      RecordingKeepAwake mine = new RecordingKeepAwake();
      assertThat(
              discovery(config().build(), ProviderLoader.none())
                  .keepAwake(mine)
                  .build()
                  .keepAwake())
          .isSameAs(mine);
      assertThat(discovery(config().build(), ProviderLoader.none()).build().keepAwake())
          .isSameAs(KeepAwake.noop());
    }
  }

  @Nested
  class Decisions {
    @Test
    void theEngineTheConfigNamesIsCreatedAndAnExplicitOneWins() {
      assertThat(discovery(config().build(), ProviderLoader.standard()).build().decisionEngine())
          .isInstanceOf(EvidenceDecisionEngine.class);
      DecisionEngine mine = context -> Optional.empty();
      assertThat(
              discovery(config().build(), ProviderLoader.none())
                  .decisionEngine(mine)
                  .build()
                  .decisionEngine())
          .isSameAs(mine);
    }

    @Test
    void theNoneEngineNeverProposesWork() {
      OrchestrationConfig cfg =
          config().decision(new DecisionSettings("none", 30, 20, List.of())).build();
      DecisionEngine none = discovery(cfg, ProviderLoader.standard()).build().decisionEngine();
      assertThat(none).isNotInstanceOf(HeuristicDecisionEngine.class);
      assertThat(
              none.decide(
                  new dev.overnight.api.decision.DecisionContext(
                      cfg,
                      List.of(new dev.overnight.api.decision.FileActivity("src/A.java", 99)),
                      List.of(),
                      Map.of("codex", Availability.available("here")),
                      java.util.Set.of(),
                      java.util.Set.of(),
                      TIME.instant())))
          .isEmpty();
    }

    @Test
    void anEngineNoProviderServesIsAConfigErrorAtItsPath() {
      OrchestrationConfig cfg =
          config().decision(new DecisionSettings("oracle", 30, 20, List.of())).build();
      assertThatThrownBy(() -> discovery(cfg, ProviderLoader.standard()).build().decisionEngine())
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(ConfigProblem::toString)
                      .containsExactly(
                          "/decision/engine: no decision engine named \"oracle\" is on the class"
                              + " path (known: agent, evidence, heuristic, none); add the module that provides it, or"
                              + " choose a known one"));
    }

    @Test
    void historySourcesAreCreatedInTheConfigsOrderFromTheContextsFolders() {
      OrchestrationConfig cfg =
          config()
              .decision(new DecisionSettings(30, 20, List.of("codex", "overnight", "codex")))
              .build();
      List<SessionHistorySource> sources =
          discovery(cfg, ProviderLoader.standard()).build().historySources();

      assertThat(sources)
          .extracting(SessionHistorySource::name)
          .containsExactly("codex", "overnight");
      assertThat(sources.get(0).location()).contains(dir.resolve("home/.codex/sessions"));
      assertThat(sources.get(1).location()).contains(dir.resolve("state/transcripts"));
    }

    @Test
    void anExplicitSourceWinsByNameAndUnknownNamesAreConfigErrorsAtTheirPaths() {
      SessionHistorySource mine = new FixedSource("codex");
      OrchestrationConfig cfg =
          config()
              .decision(new DecisionSettings(30, 20, List.of("codex", "cursor", "windsurf")))
              .build();
      Discovery d = discovery(cfg, ProviderLoader.standard()).historySource(mine).build();

      assertThatThrownBy(d::historySources)
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(ConfigProblem::path)
                      .containsExactly(
                          "/decision/history_sources/1", "/decision/history_sources/2"));
      OrchestrationConfig known =
          config().decision(new DecisionSettings(30, 20, List.of("codex"))).build();
      assertThat(
              discovery(known, ProviderLoader.standard())
                  .historySource(mine)
                  .build()
                  .historySources())
          .containsExactly(mine);
    }
  }

  @Nested
  class Stores {
    @Test
    void theSupportedStoreProviderWithTheLowestOrderOpensTheStore() {
      ProviderLoader loader =
          TestServices.in(dir.resolve("services"))
              .register(
                  StoreProvider.class, SlowStore.class, UnsupportedStore.class, FastStore.class)
              .loader();
      Discovery d = discovery(config().build(), loader).build();

      assertThat(d.storeProvider()).containsInstanceOf(FastStore.class);
      assertThat(d.openStore()).get().asString().isEqualTo("fast store in " + dir.resolve("state"));
    }

    @Test
    void withoutAStoreProviderThereIsNoStore() {
      assertThat(discovery(config().build(), ProviderLoader.none()).build().openStore()).isEmpty();
    }
  }

  @Nested
  class Transcripts {
    @Test
    void eachFileGoesToTheFirstReaderThatUnderstandsIt() throws Exception {
      ProviderLoader loader =
          TestServices.in(dir.resolve("services"))
              .register(
                  TranscriptReader.class,
                  TextReader.class,
                  BrokenReader.class,
                  AnyReader.class,
                  LateTextReader.class)
              .loader();
      TranscriptReader reader = discovery(config().build(), loader).build().transcriptReader();

      assertThat(reader.read(dir.resolve("night.txt")))
          .singleElement()
          .extracting(SessionEvent::agentId)
          .isEqualTo("text");
      assertThat(reader.read(dir.resolve("night.jsonl")))
          .singleElement()
          .extracting(SessionEvent::agentId)
          .isEqualTo("any");
      assertThat(reader.understands(dir.resolve("night.jsonl"))).isTrue();
    }

    @Test
    void withoutAReaderATranscriptReadsAsNothing() throws Exception {
      TranscriptReader reader =
          discovery(config().build(), ProviderLoader.none()).build().transcriptReader();

      assertThat(reader.understands(dir.resolve("night.jsonl"))).isFalse();
      assertThat(reader.read(dir.resolve("night.jsonl"))).isEmpty();
    }
  }

  // ------------------------------------------------------------------------------- providers

  /** Reads every file as one update from the agent named after the reader. */
  abstract static class NamedReader implements TranscriptReader {
    abstract String name();

    @Override
    public List<SessionEvent> read(Path file) {
      return List.of(
          new SessionEvent(
              "s",
              name(),
              Optional.empty(),
              1,
              TIME.instant(),
              new SessionUpdate.CurrentMode(file.getFileName().toString())));
    }
  }

  public static final class TextReader extends NamedReader {
    @Override
    String name() {
      return "text";
    }

    @Override
    public boolean understands(Path file) {
      return file.toString().endsWith(".txt");
    }
  }

  public static final class BrokenReader extends NamedReader {
    @Override
    String name() {
      return "broken";
    }

    @Override
    public boolean understands(Path file) {
      throw new IllegalStateException("cannot tell");
    }
  }

  public static final class AnyReader extends NamedReader {
    @Override
    String name() {
      return "any";
    }
  }

  public static final class LateTextReader extends NamedReader {
    @Override
    String name() {
      return "late";
    }

    @Override
    public boolean understands(Path file) {
      return file.toString().endsWith(".txt");
    }
  }

  /** An agent that records what it was created with; its availability may throw. */
  static final class FakeAgent implements AgentProvider {
    final String id;
    final String source;
    final boolean throwing;
    TimeSource time;

    FakeAgent(String id, String source) {
      this(id, source, false);
    }

    FakeAgent(String id, String source, boolean throwing) {
      this.id = id;
      this.source = source;
      this.throwing = throwing;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Availability availability() {
      if (throwing) {
        throw new IllegalStateException("no idea");
      }
      return Availability.available(id + " is here");
    }

    @Override
    public AgentCapabilities capabilities() {
      throw new UnsupportedOperationException();
    }

    @Override
    public AgentSession open(SessionRequest request) {
      throw new UnsupportedOperationException();
    }
  }

  public static final class FirstFactory implements AgentProviderFactory {
    @Override
    public String name() {
      return "first";
    }

    @Override
    public List<AgentProvider> create(ProviderContext context) {
      FakeAgent a = new FakeAgent("a", "first");
      FakeAgent b = new FakeAgent("b", "first");
      a.time = context.timeSource();
      b.time = context.timeSource();
      return List.of(a, b);
    }
  }

  public static final class SecondFactory implements AgentProviderFactory {
    @Override
    public String name() {
      return "second";
    }

    @Override
    public List<AgentProvider> create(ProviderContext context) {
      return List.of(new FakeAgent("b", "second"), new FakeAgent("c", "second"));
    }
  }

  public static final class BrokenFactory implements AgentProviderFactory {
    @Override
    public String name() {
      return "broken";
    }

    @Override
    public List<AgentProvider> create(ProviderContext context) {
      throw new IllegalStateException("factory broke");
    }
  }

  abstract static class TestKeepAwake implements KeepAwakeProvider {
    @Override
    public String name() {
      return getClass().getSimpleName();
    }

    @Override
    public boolean isSupported() {
      return true;
    }

    @Override
    public KeepAwake create() {
      return new RecordingKeepAwake();
    }
  }

  public static final class UnsupportedKeepAwake extends TestKeepAwake {
    @Override
    public boolean isSupported() {
      return false;
    }

    @Override
    public int order() {
      return -10;
    }
  }

  public static final class ThrowingKeepAwake extends TestKeepAwake {
    @Override
    public boolean isSupported() {
      throw new LinkageError("no native library");
    }

    @Override
    public int order() {
      return -5;
    }
  }

  public static final class LateKeepAwake extends TestKeepAwake {
    @Override
    public int order() {
      return 10;
    }
  }

  public static final class EarlyKeepAwake extends TestKeepAwake {
    @Override
    public int order() {
      return 1;
    }
  }

  record FixedSource(String name) implements SessionHistorySource {
    @Override
    public List<SessionRecord> read(Path workspace, Instant since, int limit) {
      return List.of();
    }
  }

  abstract static class TestStore implements StoreProvider {
    @Override
    public Store open(ProviderContext context) {
      String text = name() + " store in " + context.stateDirectory();
      return new Store() {
        @Override
        public TaskQueue taskQueue() {
          throw new UnsupportedOperationException();
        }

        @Override
        public SchedulerStateStore schedulerStateStore() {
          throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
          return text;
        }
      };
    }
  }

  public static final class SlowStore extends TestStore {
    @Override
    public String name() {
      return "slow";
    }

    @Override
    public int order() {
      return 5;
    }
  }

  public static final class UnsupportedStore extends TestStore {
    @Override
    public String name() {
      return "unsupported";
    }

    @Override
    public boolean isSupported() {
      return false;
    }
  }

  public static final class FastStore extends TestStore {
    @Override
    public String name() {
      return "fast";
    }

    @Override
    public int order() {
      return 1;
    }
  }
}
