package dev.overnight.core.spi;

import dev.overnight.api.Availability;
import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.OrchestrationException;
import dev.overnight.api.ProviderContext;
import dev.overnight.api.WakeScheduler;
import dev.overnight.api.WakeSchedulerProvider;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentProviderFactory;
import dev.overnight.api.agent.BuiltInAgents;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.TranscriptReader;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.StoreSettings;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.CandidateSourceProvider;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionEngineProvider;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionHistorySourceProvider;
import dev.overnight.api.notify.NotifierProvider;
import dev.overnight.api.pipeline.PipelineOperation;
import dev.overnight.api.store.Store;
import dev.overnight.api.store.StoreProvider;
import dev.overnight.core.notify.ConfiguredNotifier;
import dev.overnight.core.pipeline.internal.BuiltInOperations;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every pluggable part of one runtime, found by one rule: what was registered explicitly wins, then
 * what {@link java.util.ServiceLoader} finds, in its order; a name or id served twice is warned
 * about once and the first one kept. The runtime, {@code doctor}, {@code plan}, {@code agent try}
 * and every other command ask this class, so they all see the same agents, checkers, keep-awake,
 * decision engine, history sources, store and transcript readers.
 *
 * <p>Discovered providers are created with the {@link ProviderContext} given here (the runtime's
 * time source, state folder and environment). Each kind is looked up once, on first use, and kept.
 *
 * <p>Thread-safe. Lookups block on class loading and on the providers' constructors; {@link
 * #agentAvailability()} runs each agent's availability check.
 *
 * @since 0.1.0
 */
public final class Discovery {
  private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

  private final ProviderContext context;
  private final ProviderLoader loader;
  private final List<AgentProvider> explicitAgents;
  private final List<ConstraintCheckerProvider> explicitCheckers;
  private final Optional<KeepAwake> explicitKeepAwake;
  private final Optional<DecisionEngine> explicitEngine;
  private final List<SessionHistorySource> explicitSources;
  private final List<CandidateSource> explicitCandidateSources;
  private final List<NotifierProvider> explicitNotifiers;
  private final List<PipelineOperation> explicitOperations;

  private final Lazy<Agents> agents = new Lazy<>(this::findAgents);
  private final Lazy<NamedProviders<ConstraintCheckerProvider>> checkers =
      new Lazy<>(this::findCheckers);
  private final Lazy<List<KeepAwakeProvider>> keepAwakeProviders =
      new Lazy<>(() -> load(KeepAwakeProvider.class));
  private final Lazy<List<WakeSchedulerProvider>> wakeSchedulerProviders =
      new Lazy<>(() -> load(WakeSchedulerProvider.class));
  private final Lazy<List<DecisionEngineProvider>> engines =
      new Lazy<>(() -> load(DecisionEngineProvider.class));
  private final Lazy<List<SessionHistorySourceProvider>> sources =
      new Lazy<>(() -> load(SessionHistorySourceProvider.class));
  private final Lazy<List<CandidateSourceProvider>> candidateProviders =
      new Lazy<>(() -> load(CandidateSourceProvider.class));
  private final Lazy<List<StoreProvider>> stores = new Lazy<>(() -> load(StoreProvider.class));
  private final Lazy<List<TranscriptReader>> transcriptReaders =
      new Lazy<>(() -> load(TranscriptReader.class));
  private final Lazy<List<NotifierProvider>> notifierProviders =
      new Lazy<>(() -> load(NotifierProvider.class));
  private final Map<Class<?>, List<?>> extensions = new ConcurrentHashMap<>();

  private Discovery(Builder b) {
    this.context = b.context;
    this.loader = b.loader;
    this.explicitAgents = List.copyOf(b.agents.values());
    this.explicitCheckers = List.copyOf(b.checkers);
    this.explicitKeepAwake = b.keepAwake;
    this.explicitEngine = b.engine;
    this.explicitSources = List.copyOf(b.sources.values());
    this.explicitCandidateSources = List.copyOf(b.candidateSources.values());
    this.explicitNotifiers = List.copyOf(b.notifiers);
    this.explicitOperations = List.copyOf(b.operations);
  }

  /** Starts a discovery for a runtime's context, over {@link ProviderLoader#standard()}. */
  public static Builder builder(ProviderContext context) {
    return new Builder(context);
  }

  /** What discovered providers are created with. */
  public ProviderContext context() {
    return context;
  }

  /** The configuration. */
  public OrchestrationConfig config() {
    return context.config();
  }

  /** The loader behind every lookup. */
  public ProviderLoader loader() {
    return loader;
  }

  // ------------------------------------------------------------------------------------ agents

  /**
   * Every agent this runtime can use: explicit ones first, then each {@link AgentProviderFactory}'s
   * in discovery order. An id served twice keeps its first provider (a WARN names both); a factory
   * that fails is logged and listed in {@link #problems()}.
   */
  public List<AgentProvider> agents() {
    return agents.get().providers();
  }

  /** The agent with this id, if some provider serves it. */
  public Optional<AgentProvider> agent(String id) {
    return agents().stream().filter(a -> a.id().equals(id)).findFirst();
  }

  /**
   * Every agent the configuration may name, with its availability now: the served ones as their
   * providers say, and the built-in, configured, preferred and allowed ids no provider serves as
   * unavailable, with the module to add. A provider whose check throws is unavailable with why.
   */
  public Map<String, Availability> agentAvailability() {
    Map<String, Availability> all = new LinkedHashMap<>();
    for (AgentProvider p : agents()) {
      all.put(p.id(), availabilityOf(p));
    }
    OrchestrationConfig config = context.config();
    Set<String> named = new LinkedHashSet<>(BuiltInAgents.IDS);
    named.addAll(config.agents().keySet());
    named.addAll(config.agentPreferences().prefer());
    named.addAll(config.agentPreferences().allow());
    for (String id : named) {
      all.computeIfAbsent(
          id,
          x ->
              Availability.unavailable(
                  "no provider for agent " + x + " on the class path",
                  "add " + BuiltInAgents.MODULE));
    }
    return all;
  }

  /** An agent's availability; a check that throws makes it unavailable, saying why. */
  public static Availability availabilityOf(AgentProvider provider) {
    try {
      return provider.availability();
    } catch (RuntimeException | LinkageError e) {
      return Availability.unavailable(
          "checking " + provider.id() + " failed: " + e, "run overnight doctor for details");
    }
  }

  /** What went wrong while discovering, in words: factories that failed, for diagnostics. */
  public List<String> problems() {
    return agents.get().problems();
  }

  // ------------------------------------------------------------------------ constraint checkers

  /** The constraint checker providers, explicit and discovered, chosen by name. */
  public NamedProviders<ConstraintCheckerProvider> constraintCheckers() {
    return checkers.get();
  }

  // --------------------------------------------------------------------------------- keep-awake

  /** Every discovered keep-awake provider, for diagnostics. */
  public List<KeepAwakeProvider> keepAwakeProviders() {
    return keepAwakeProviders.get();
  }

  /**
   * The keep-awake provider that would be used when none is given explicitly: among those supported
   * here, the lowest order, ties broken by class name.
   */
  public Optional<KeepAwakeProvider> keepAwakeProvider() {
    return chooseKeepAwake(keepAwakeProviders());
  }

  /** The rule {@link #keepAwakeProvider()} applies, for any list of providers. */
  public static Optional<KeepAwakeProvider> chooseKeepAwake(List<KeepAwakeProvider> providers) {
    return providers.stream()
        .filter(Discovery::supported)
        .min(
            Comparator.comparingInt(KeepAwakeProvider::order)
                .thenComparing(p -> p.getClass().getName()));
  }

  /**
   * The keep-awake to use: the explicit one, else a new one from {@link #keepAwakeProvider()}, else
   * {@link KeepAwake#noop()}.
   */
  public KeepAwake keepAwake() {
    return explicitKeepAwake.orElseGet(
        () -> keepAwakeProvider().map(KeepAwakeProvider::create).orElseGet(KeepAwake::noop));
  }

  // ------------------------------------------------------------------------------ wake-ups

  /** Every discovered wake scheduler provider, for diagnostics. */
  public List<WakeSchedulerProvider> wakeSchedulerProviders() {
    return wakeSchedulerProviders.get();
  }

  /**
   * The wake scheduler provider for this machine: among those supported here, the lowest order,
   * ties broken by class name; empty where none applies (the machine then cannot be woken).
   */
  public Optional<WakeSchedulerProvider> wakeSchedulerProvider() {
    return chooseWakeScheduler(wakeSchedulerProviders());
  }

  /** The rule {@link #wakeSchedulerProvider()} applies, for any list of providers. */
  public static Optional<WakeSchedulerProvider> chooseWakeScheduler(
      List<WakeSchedulerProvider> providers) {
    return providers.stream()
        .filter(Discovery::supported)
        .min(
            Comparator.comparingInt(WakeSchedulerProvider::order)
                .thenComparing(p -> p.getClass().getName()));
  }

  /** A new wake scheduler from {@link #wakeSchedulerProvider()}, if one applies here. */
  public Optional<WakeScheduler> wakeScheduler() {
    return wakeSchedulerProvider().map(WakeSchedulerProvider::create);
  }

  // ------------------------------------------------------------------------------- decisions

  /**
   * The decision engine: the explicit one, else a new one from the provider the config's {@code
   * decision.engine} names.
   *
   * @throws ConfigException naming {@code /decision/engine} when no provider serves the name
   */
  public DecisionEngine decisionEngine() {
    if (explicitEngine.isPresent()) {
      return explicitEngine.get();
    }
    String name = context.config().decision().engine();
    NamedProviders<DecisionEngineProvider> named =
        new NamedProviders<>(
            "decision engine",
            List.of(),
            engines.get(),
            DecisionEngineProvider::name,
            DecisionEngineProvider::order,
            p -> true);
    DecisionEngineProvider provider =
        named
            .select(name)
            .orElseThrow(
                () -> notServed("/decision/engine", "decision engine", name, named.names()));
    // An engine may plan through an agent: it finds the runtime's agents through its context.
    return provider.create(context.withAgents(this::agent));
  }

  /** The names of every decision engine found, for messages and {@code config validate}. */
  public Set<String> decisionEngineNames() {
    return new TreeSet<>(engines.get().stream().map(DecisionEngineProvider::name).toList());
  }

  /**
   * The session history sources the config's {@code decision.history_sources} lists, in its order:
   * for each name, the explicit source of that name, else a new one from the provider of that name.
   *
   * @throws ConfigException naming each listed source no provider serves, with its JSON path
   */
  public List<SessionHistorySource> historySources() {
    NamedProviders<SessionHistorySourceProvider> named =
        new NamedProviders<>(
            "session history source",
            List.of(),
            sources.get(),
            SessionHistorySourceProvider::name,
            SessionHistorySourceProvider::order,
            p -> true);
    List<String> names = new ArrayList<>(context.config().decision().historySources());
    List<SessionHistorySource> found = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (!seen.add(name)) {
        continue;
      }
      Optional<SessionHistorySource> explicit =
          explicitSources.stream().filter(s -> s.name().equals(name)).findFirst();
      if (explicit.isPresent()) {
        found.add(explicit.get());
        continue;
      }
      Optional<SessionHistorySourceProvider> provider = named.select(name);
      if (provider.isPresent()) {
        found.add(provider.get().create(context));
      } else {
        Set<String> known = new TreeSet<>(named.names());
        explicitSources.forEach(s -> known.add(s.name()));
        problems.add(
            notServed("/decision/history_sources/" + i, "history source", name, known)
                .problems()
                .get(0));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(null, problems);
    }
    return found;
  }

  /** The names of every history source found, explicit ones included. */
  public Set<String> historySourceNames() {
    Set<String> names = new TreeSet<>();
    sources.get().forEach(p -> names.add(p.name()));
    explicitSources.forEach(s -> names.add(s.name()));
    return names;
  }

  /**
   * The candidate sources the evidence engine runs: explicit ones first, then every discovered one
   * (a name served twice keeps its first); only those the config's {@code decision.sources} lists,
   * in its order, when it lists any.
   *
   * @throws ConfigException naming each listed source no provider serves, with its JSON path
   */
  public List<CandidateSource> candidateSources() {
    NamedProviders<CandidateSourceProvider> named =
        new NamedProviders<>(
            "candidate source",
            List.of(),
            candidateProviders.get(),
            CandidateSourceProvider::name,
            CandidateSourceProvider::order,
            p -> true);
    Map<String, Supplier<CandidateSource>> all = new LinkedHashMap<>();
    explicitCandidateSources.forEach(s -> all.putIfAbsent(s.name(), () -> s));
    for (String name : named.names()) {
      named.select(name).ifPresent(p -> all.putIfAbsent(name, () -> p.create(context)));
    }
    List<String> wanted = context.config().decision().sources();
    if (wanted.isEmpty()) {
      return all.values().stream().map(Supplier::get).toList();
    }
    List<CandidateSource> found = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    for (int i = 0; i < wanted.size(); i++) {
      Supplier<CandidateSource> s = all.get(wanted.get(i));
      if (s != null) {
        found.add(s.get());
      } else {
        problems.add(
            notServed("/decision/sources/" + i, "candidate source", wanted.get(i), all.keySet())
                .problems()
                .get(0));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(null, problems);
    }
    return found;
  }

  // ----------------------------------------------------------------------------------- stores

  /**
   * The store provider a runtime opens when it is given no queue: the one the config's {@code
   * store.kind} names, else among those supported here the lowest order, ties broken by class name.
   *
   * @throws OrchestrationException if the config names a store no provider on the class path
   *     serves, saying which module to add
   */
  public Optional<StoreProvider> storeProvider() {
    Optional<String> kind = context.config().store().map(StoreSettings::kind);
    if (kind.isPresent()) {
      return Optional.of(
          stores.get().stream()
              .filter(p -> p.name().equals(kind.get()))
              .filter(Discovery::supported)
              .findFirst()
              .orElseThrow(
                  () ->
                      new OrchestrationException(
                          "store.kind is \""
                              + kind.get()
                              + "\", but no store provider of that name is on the class path:"
                              + " add dev.overnight:orchestration-"
                              + kind.get()
                              + " (found: "
                              + stores.get().stream()
                                  .map(StoreProvider::name)
                                  .sorted()
                                  .collect(Collectors.joining(", "))
                              + ")")));
    }
    return stores.get().stream()
        .filter(Discovery::supported)
        .min(
            Comparator.comparingInt(StoreProvider::order)
                .thenComparing(p -> p.getClass().getName()));
  }

  /**
   * Opens the store of {@link #storeProvider()} for this context.
   *
   * @return empty when no store provider is on the class path
   */
  public Optional<Store> openStore() {
    return storeProvider().map(p -> p.open(context));
  }

  // ------------------------------------------------------------------------------ transcripts

  /**
   * Reads the session transcripts in the state folder: each file goes to the first discovered
   * {@link TranscriptReader} that understands it; a file none understands reads as no update.
   */
  public TranscriptReader transcriptReader() {
    List<TranscriptReader> readers = transcriptReaders.get();
    return new TranscriptReader() {
      @Override
      public List<SessionEvent> read(Path file) throws IOException {
        for (TranscriptReader r : readers) {
          if (understood(r, file)) {
            return r.read(file);
          }
        }
        return List.of();
      }

      @Override
      public boolean understands(Path file) {
        return readers.stream().anyMatch(r -> understood(r, file));
      }

      @Override
      public String toString() {
        return "the transcript readers " + readers;
      }
    };
  }

  private static boolean understood(TranscriptReader reader, Path file) {
    try {
      return reader.understands(file);
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------------------- notifications

  /**
   * A notifier for each entry of the config's {@code notifications}, in its order: created by the
   * provider of the entry's {@code type} (an explicit one first, then the discovered one of the
   * lowest order).
   *
   * @throws ConfigException naming every entry whose type no provider serves, or whose provider
   *     refused its settings (a variable it names is not set), with their JSON paths
   */
  public List<ConfiguredNotifier> notifiers() {
    NamedProviders<NotifierProvider> named =
        new NamedProviders<>(
            "notifier",
            explicitNotifiers,
            notifierProviders.get(),
            NotifierProvider::type,
            NotifierProvider::order,
            p -> true);
    List<ConfiguredNotifier> found = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    for (NotifierSettings entry : context.config().notifications()) {
      Optional<NotifierProvider> provider = named.select(entry.type());
      if (provider.isEmpty()) {
        problems.addAll(
            notServed(entry.path() + "/type", "notifier type", entry.type(), named.names())
                .problems());
        continue;
      }
      try {
        found.add(new ConfiguredNotifier(entry, provider.get().create(entry, context)));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(null, problems);
    }
    return found;
  }

  /** The notifier types served, explicit and discovered. */
  public Set<String> notifierTypes() {
    Set<String> types = new TreeSet<>();
    notifierProviders.get().forEach(p -> types.add(p.type()));
    explicitNotifiers.forEach(p -> types.add(p.type()));
    return types;
  }

  // -------------------------------------------------------------------------------- pipelines

  /**
   * The operations pipeline steps may name, by name: explicit ones first, then Overnight's built-in
   * ones, then discovered ones; the first of a name wins, so a plugin on the class path cannot
   * replace a built-in operation such as {@code open_pr} (an explicit one can).
   */
  public Map<String, PipelineOperation> pipelineOperations() {
    Map<String, PipelineOperation> byName = new LinkedHashMap<>();
    explicitOperations.forEach(o -> byName.putIfAbsent(o.name(), o));
    BuiltInOperations.all().forEach(o -> byName.putIfAbsent(o.name(), o));
    for (PipelineOperation o : extensions(PipelineOperation.class)) {
      if (byName.putIfAbsent(o.name(), o) != null && byName.get(o.name()) != o) {
        LOG.warn(
            "Pipeline operation '{}' of {} is ignored: that name is taken",
            o.name(),
            o.getClass().getName());
      }
    }
    return java.util.Collections.unmodifiableMap(byName);
  }

  // ------------------------------------------------------------------------------- extensions

  /**
   * Every discovered implementation of an extension point the rest of this class does not name
   * (such as {@code dev.overnight.core.runtime.RuntimeInstrumentation}), in {@link
   * java.util.ServiceLoader} order; looked up once per type and kept. Choosing among them is the
   * caller's rule.
   */
  @SuppressWarnings("unchecked")
  public <S> List<S> extensions(Class<S> spi) {
    Objects.requireNonNull(spi, "spi");
    return (List<S>) extensions.computeIfAbsent(spi, this::load);
  }

  // ---------------------------------------------------------------------------------- helpers

  private Agents findAgents() {
    Map<String, AgentProvider> byId = new LinkedHashMap<>();
    Map<String, String> servedBy = new LinkedHashMap<>();
    for (AgentProvider p : explicitAgents) {
      byId.put(p.id(), p);
      servedBy.put(p.id(), "the builder");
    }
    List<String> problems = new ArrayList<>();
    for (AgentProviderFactory factory : load(AgentProviderFactory.class)) {
      List<AgentProvider> created;
      try {
        created = List.copyOf(factory.create(context));
      } catch (RuntimeException | LinkageError e) {
        String why = "agent provider factory " + factory.getClass().getName() + " failed: " + e;
        LOG.warn("{}", why);
        problems.add(why);
        continue;
      }
      for (AgentProvider p : created) {
        String source = "factory " + factory.name();
        AgentProvider kept = byId.putIfAbsent(p.id(), p);
        if (kept == null) {
          servedBy.put(p.id(), source);
        } else if (!servedBy.get(p.id()).equals("the builder")) {
          LOG.warn(
              "Agent '{}' is served by {} and by {}; using {}'s. Register one explicitly to"
                  + " choose.",
              p.id(),
              servedBy.get(p.id()),
              source,
              servedBy.get(p.id()));
        }
      }
    }
    return new Agents(List.copyOf(byId.values()), List.copyOf(problems));
  }

  private NamedProviders<ConstraintCheckerProvider> findCheckers() {
    return new NamedProviders<>(
        "constraint checker",
        explicitCheckers,
        load(ConstraintCheckerProvider.class),
        ConstraintCheckerProvider::name,
        ConstraintCheckerProvider::order,
        ConstraintCheckerProvider::isSupported);
  }

  private <S> List<S> load(Class<S> spi) {
    return List.copyOf(loader.load(spi));
  }

  private static boolean supported(KeepAwakeProvider p) {
    try {
      return p.isSupported();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static boolean supported(WakeSchedulerProvider p) {
    try {
      return p.isSupported();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static boolean supported(StoreProvider p) {
    try {
      return p.isSupported();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static ConfigException notServed(
      String path, String kind, String name, Set<String> known) {
    return new ConfigException(
        null,
        List.of(
            new ConfigProblem(
                path,
                "no "
                    + kind
                    + " named \""
                    + name
                    + "\" is on the class path (known: "
                    + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known)))
                    + "); add the module that provides it, or choose a known one")));
  }

  private record Agents(List<AgentProvider> providers, List<String> problems) {}

  /** A value computed once, on first use, by whichever thread gets there first. */
  private static final class Lazy<T> {
    private final Supplier<T> supplier;
    private volatile T value;

    Lazy(Supplier<T> supplier) {
      this.supplier = supplier;
    }

    T get() {
      T v = value;
      if (v == null) {
        synchronized (this) {
          v = value;
          if (v == null) {
            v = Objects.requireNonNull(supplier.get());
            value = v;
          }
        }
      }
      return v;
    }
  }

  /** Builds a {@link Discovery}. Not thread-safe. */
  public static final class Builder {
    private final ProviderContext context;
    private ProviderLoader loader = ProviderLoader.standard();
    private final Map<String, AgentProvider> agents = new LinkedHashMap<>();
    private final List<ConstraintCheckerProvider> checkers = new ArrayList<>();
    private Optional<KeepAwake> keepAwake = Optional.empty();
    private Optional<DecisionEngine> engine = Optional.empty();
    private final Map<String, SessionHistorySource> sources = new LinkedHashMap<>();
    private final Map<String, CandidateSource> candidateSources = new LinkedHashMap<>();
    private final List<NotifierProvider> notifiers = new ArrayList<>();
    private final List<PipelineOperation> operations = new ArrayList<>();

    private Builder(ProviderContext context) {
      this.context = Objects.requireNonNull(context, "context");
    }

    /** Where providers are discovered (default: {@link ProviderLoader#standard()}). */
    public Builder loader(ProviderLoader value) {
      loader = Objects.requireNonNull(value, "loader");
      return this;
    }

    /**
     * Adds an agent; it wins over discovered ones with its id.
     *
     * @throws IllegalArgumentException if an agent with its id was added already
     */
    public Builder agentProvider(AgentProvider value) {
      Objects.requireNonNull(value, "agentProvider");
      if (agents.putIfAbsent(value.id(), value) != null) {
        throw new IllegalArgumentException(
            "two agent providers were registered for the id '"
                + value.id()
                + "': "
                + agents.get(value.id())
                + " and "
                + value
                + "; register one");
      }
      return this;
    }

    /** Adds a constraint checker provider; it wins over discovered ones of its name. */
    public Builder constraintProvider(ConstraintCheckerProvider value) {
      checkers.add(Objects.requireNonNull(value, "constraintProvider"));
      return this;
    }

    /** The keep-awake to use instead of a discovered one. */
    public Builder keepAwake(KeepAwake value) {
      keepAwake = Optional.of(value);
      return this;
    }

    /** The decision engine to use instead of the one the config names. */
    public Builder decisionEngine(DecisionEngine value) {
      engine = Optional.of(value);
      return this;
    }

    /**
     * A history source; it wins over a discovered one of its name (it is read only when the config
     * lists its name).
     *
     * @throws IllegalArgumentException if a source with its name was added already
     */
    public Builder historySource(SessionHistorySource value) {
      Objects.requireNonNull(value, "historySource");
      if (sources.putIfAbsent(value.name(), value) != null) {
        throw new IllegalArgumentException(
            "two history sources were registered for the name '" + value.name() + "'");
      }
      return this;
    }

    /**
     * A candidate source; it wins over a discovered one of its name.
     *
     * @throws IllegalArgumentException if a source with its name was added already
     */
    public Builder candidateSource(CandidateSource value) {
      Objects.requireNonNull(value, "candidateSource");
      if (candidateSources.putIfAbsent(value.name(), value) != null) {
        throw new IllegalArgumentException(
            "two candidate sources were registered for the name '" + value.name() + "'");
      }
      return this;
    }

    /** Adds a notifier provider; it wins over discovered ones of its type. */
    public Builder notifierProvider(NotifierProvider value) {
      notifiers.add(Objects.requireNonNull(value, "notifierProvider"));
      return this;
    }

    /** A pipeline operation; it wins over a built-in or discovered one of its name. */
    public Builder pipelineOperation(PipelineOperation value) {
      operations.add(Objects.requireNonNull(value, "pipelineOperation"));
      return this;
    }

    /** Builds the discovery; nothing is loaded until first asked for. */
    public Discovery build() {
      return new Discovery(this);
    }
  }

  @Override
  public String toString() {
    return "Discovery[" + context + "]";
  }
}
