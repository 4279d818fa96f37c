package dev.overnight.core.schedule;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.core.spi.NamedProviders;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a cycle may run now: asks every configured {@link ConstraintChecker} in parallel,
 * each bounded by the check timeout, and applies {@code on_unknown}.
 *
 * <p><b>Resolution.</b> The checkers named by {@link Constraints#enabledCheckers()} are resolved
 * when the gate is built, by the one provider rule ({@link NamedProviders}): a provider registered
 * on the builder first, then {@link ConstraintCheckerProvider}s found by a {@link ProviderLoader}.
 * A name nobody provides is a {@link ConfigException} that names the artifact to add.
 *
 * <p><b>Checking.</b> Each checker runs on the gate's executor. One that has not answered when the
 * timeout passes on the {@link TimeSource} (so virtual time drives it in tests) counts as {@code
 * UNKNOWN ("timed out after 2 s")}; one that throws counts as {@code UNKNOWN} with the exception's
 * message. A checker still running from an earlier check is not called again (checkers are called
 * one at a time): the new check waits on the running call, within its own timeout.
 *
 * <p>Thread-safe. {@link #check()} blocks for at most the timeout (on the time source's clock);
 * {@link #checkAsync()} does not block.
 *
 * @since 0.1.0
 */
public final class ConstraintGate implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConstraintGate.class);
  private static final String SERVICES_FILE =
      "META-INF/services/" + ConstraintCheckerProvider.class.getName();

  private final List<Slot> slots;
  private final UnknownPolicy onUnknown;
  private final Duration timeout;
  private final TimeSource time;
  private final Executor executor;
  private final ExecutorService ownedExecutor;

  private ConstraintGate(
      List<Slot> slots,
      UnknownPolicy onUnknown,
      Duration timeout,
      TimeSource time,
      Executor executor,
      ExecutorService ownedExecutor) {
    this.slots = List.copyOf(slots);
    this.onUnknown = onUnknown;
    this.timeout = timeout;
    this.time = time;
    this.executor = executor;
    this.ownedExecutor = ownedExecutor;
  }

  /** A gate with no checkers: every check passes. */
  public static ConstraintGate none() {
    return new ConstraintGate(
        List.of(), UnknownPolicy.FAIL, Constraints.DEFAULT_CHECK_TIMEOUT, null, null, null);
  }

  /** Starts a gate for a config's constraints section. */
  public static Builder builder(Constraints constraints) {
    return new Builder(constraints);
  }

  /** The names of the checkers, in the config's order. */
  public List<String> checkerNames() {
    return slots.stream().map(s -> s.name).toList();
  }

  /** Runs every checker and combines their answers. Blocks for at most the timeout. */
  public ConstraintGateResult check() {
    return checkAsync().join();
  }

  /**
   * Starts every checker and returns their combined answer when each has answered or timed out.
   * Never completes exceptionally.
   */
  public CompletableFuture<ConstraintGateResult> checkAsync() {
    if (slots.isEmpty()) {
      return CompletableFuture.completedFuture(ConstraintGateResult.open());
    }
    List<CompletableFuture<ConstraintResult>> answers = new ArrayList<>();
    for (Slot slot : slots) {
      answers.add(bounded(slot));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> combine(answers));
  }

  /** Stops the gate's own threads, if it made any; a checker still running is interrupted. */
  @Override
  public void close() {
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
  }

  private CompletableFuture<ConstraintResult> bounded(Slot slot) {
    CompletableFuture<ConstraintResult> answer = new CompletableFuture<>();
    slot.start(executor).thenAccept(answer::complete);
    if (!answer.isDone()) {
      String reason = "timed out after " + Durations.human(timeout);
      Cancellable timer =
          time.schedule(
              time.instant().plus(timeout),
              () -> answer.complete(ConstraintResult.unknown(reason)));
      answer.whenComplete((r, e) -> timer.cancel());
    }
    return answer;
  }

  private ConstraintGateResult combine(List<CompletableFuture<ConstraintResult>> answers) {
    Map<String, ConstraintResult> results = new LinkedHashMap<>();
    List<String> failing = new ArrayList<>();
    boolean satisfied = true;
    for (int i = 0; i < slots.size(); i++) {
      String name = slots.get(i).name;
      ConstraintResult result = answers.get(i).join();
      results.put(name, result);
      switch (result.status()) {
        case SATISFIED -> {}
        case UNSATISFIED -> {
          satisfied = false;
          failing.add(name + ": " + result.reason());
        }
        case UNKNOWN -> {
          if (onUnknown == UnknownPolicy.PASS) {
            LOG.info(
                "Constraint {} cannot tell ({}); passing it because on_unknown is pass",
                name,
                result.reason());
          } else {
            satisfied = false;
            failing.add(name + ": unknown (" + result.reason() + ")");
          }
        }
      }
    }
    String reason = satisfied ? "constraints satisfied" : String.join("; ", failing);
    LOG.debug("Constraints checked: {}", results);
    return new ConstraintGateResult(results, satisfied, reason);
  }

  /** One checker and its call in flight, if any. */
  private static final class Slot {
    final String name;
    final ConstraintChecker checker;
    private CompletableFuture<ConstraintResult> inFlight;

    Slot(String name, ConstraintChecker checker) {
      this.name = name;
      this.checker = checker;
    }

    synchronized CompletableFuture<ConstraintResult> start(Executor executor) {
      if (inFlight != null && !inFlight.isDone()) {
        return inFlight;
      }
      CompletableFuture<ConstraintResult> call = new CompletableFuture<>();
      inFlight = call;
      try {
        executor.execute(() -> call.complete(safeCheck()));
      } catch (RejectedExecutionException e) {
        call.complete(ConstraintResult.unknown("could not be started: " + e.getMessage()));
      }
      return call;
    }

    private ConstraintResult safeCheck() {
      try {
        ConstraintResult result = checker.check();
        return result != null ? result : ConstraintResult.unknown("the checker gave no result");
      } catch (Exception | LinkageError e) {
        String message = e.getMessage();
        return ConstraintResult.unknown(
            message != null && !message.isBlank() ? message : e.getClass().getName());
      }
    }
  }

  /**
   * Builds a {@link ConstraintGate}. Not thread-safe. {@link #build()} resolves every checker the
   * constraints name and reports every one it cannot resolve at once.
   */
  public static final class Builder {
    private final Constraints constraints;
    private final List<ConstraintCheckerProvider> explicit = new ArrayList<>();
    private ProviderLoader loader;
    private NamedProviders<ConstraintCheckerProvider> providers;
    private TimeSource time;
    private Executor executor;
    private String operatingSystem = System.getProperty("os.name", "an unknown system");

    private Builder(Constraints constraints) {
      this.constraints = Objects.requireNonNull(constraints, "constraints");
    }

    /** Registers a provider; it wins over discovered ones of the same name (the last wins). */
    public Builder register(ConstraintCheckerProvider provider) {
      explicit.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /** Registers providers, in order. */
    public Builder register(List<? extends ConstraintCheckerProvider> providers) {
      providers.forEach(this::register);
      return this;
    }

    /** Where providers are discovered; {@link ProviderLoader#standard()} by default. */
    public Builder providerLoader(ProviderLoader value) {
      loader = Objects.requireNonNull(value, "providerLoader");
      return this;
    }

    /**
     * The providers to choose from, already found (a runtime's {@code Discovery}); replaces {@link
     * #register} and {@link #providerLoader}, which cannot be combined with it.
     */
    public Builder providers(NamedProviders<ConstraintCheckerProvider> value) {
      providers = Objects.requireNonNull(value, "providers");
      return this;
    }

    /** The clock the check timeout runs on. Required when any checker is configured. */
    public Builder timeSource(TimeSource value) {
      time = Objects.requireNonNull(value, "timeSource");
      return this;
    }

    /**
     * Where checkers run. By default the gate starts daemon threads of its own (stopped by {@link
     * ConstraintGate#close()}).
     */
    public Builder executor(Executor value) {
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /** The operating system named in error messages; {@code os.name} by default. */
    public Builder operatingSystem(String value) {
      operatingSystem = Objects.requireNonNull(value, "operatingSystem");
      return this;
    }

    /**
     * Resolves and creates every configured checker.
     *
     * @throws ConfigException listing every checker that has no provider or could not be created
     */
    public ConstraintGate build() {
      List<String> names = constraints.enabledCheckers();
      if (names.isEmpty()) {
        return none();
      }
      Objects.requireNonNull(time, "a time source is needed to time checks out");
      if (providers != null && (loader != null || !explicit.isEmpty())) {
        throw new IllegalStateException(
            "providers(...) are already chosen: register(...) and providerLoader(...) cannot be"
                + " combined with it");
      }
      NamedProviders<ConstraintCheckerProvider> providers =
          this.providers != null
              ? this.providers
              : new NamedProviders<>(
                  "constraint checker",
                  explicit,
                  Objects.requireNonNullElse(loader, ProviderLoader.standard())
                      .load(ConstraintCheckerProvider.class),
                  ConstraintCheckerProvider::name,
                  ConstraintCheckerProvider::order,
                  ConstraintCheckerProvider::isSupported);
      List<Slot> slots = new ArrayList<>();
      List<ConfigProblem> problems = new ArrayList<>();
      for (String name : names) {
        String path = pathOf(name);
        Optional<ConstraintCheckerProvider> provider = providers.select(name);
        if (provider.isEmpty()) {
          problems.add(new ConfigProblem(path, missing(name, providers.onlyUnsupported(name))));
          continue;
        }
        try {
          ConstraintChecker checker =
              provider.get().create(new ConstraintSettings(name, settingsOf(name), constraints));
          if (checker == null) {
            problems.add(
                new ConfigProblem(
                    path,
                    provider.get().getClass().getName()
                        + " created no checker for constraint '"
                        + name
                        + "'"));
          } else {
            slots.add(new Slot(name, checker));
          }
        } catch (ConfigException e) {
          problems.addAll(e.problems());
        } catch (RuntimeException | LinkageError e) {
          problems.add(
              new ConfigProblem(
                  path,
                  "constraint '"
                      + name
                      + "' could not be created by "
                      + provider.get().getClass().getName()
                      + ": "
                      + e));
        }
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(null, problems);
      }
      ExecutorService owned = null;
      Executor run = executor;
      if (run == null) {
        AtomicInteger count = new AtomicInteger();
        owned =
            Executors.newCachedThreadPool(
                r -> {
                  Thread t = new Thread(r, "overnight-constraint-check-" + count.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
        run = owned;
      }
      return new ConstraintGate(
          slots, constraints.onUnknown(), constraints.checkTimeout(), time, run, owned);
    }

    private Object settingsOf(String name) {
      if (name.equals("cpu_max_percentage")) {
        return constraints.cpuMaxPercentage().orElseThrow();
      }
      if (Constraints.BUILT_IN.contains(name)) {
        return Boolean.TRUE;
      }
      return constraints.checkers().get(name);
    }

    private static String pathOf(String name) {
      if (Constraints.BUILT_IN.contains(name)) {
        return "/constraints/" + name;
      }
      return "/constraints/checkers/" + name.replace("~", "~0").replace("/", "~1");
    }

    private String missing(String name, boolean onlyUnsupported) {
      String os = operatingSystem;
      if (!Constraints.BUILT_IN.contains(name)) {
        if (onlyUnsupported) {
          return "the providers of constraint '"
              + name
              + "' on the class path do not support "
              + os;
        }
        return "no provider on the class path for constraint '"
            + name
            + "': add the artifact that provides it (a ConstraintCheckerProvider named '"
            + name
            + "', listed in "
            + SERVICES_FILE
            + ") or register one on the builder";
      }
      Optional<String> artifact = platformArtifact(os);
      if (artifact.isEmpty()) {
        return "no provider for constraint '"
            + name
            + "' on "
            + os
            + ": the built-in checkers cover macOS (dev.overnight:orchestration-macos) and Linux"
            + " (dev.overnight:orchestration-linux); register a ConstraintCheckerProvider named '"
            + name
            + "' or turn the constraint off";
      }
      if (onlyUnsupported) {
        return "the providers of constraint '"
            + name
            + "' on the class path do not support "
            + os
            + ": add "
            + artifact.get()
            + " to the class path";
      }
      return "no provider for constraint '"
          + name
          + "' on "
          + os
          + ": add "
          + artifact.get()
          + " to the class path";
    }

    private static Optional<String> platformArtifact(String os) {
      String lower = os.toLowerCase(Locale.ROOT);
      if (lower.startsWith("mac") || lower.contains("darwin")) {
        return Optional.of("dev.overnight:orchestration-macos");
      }
      if (lower.startsWith("linux")) {
        return Optional.of("dev.overnight:orchestration-linux");
      }
      return Optional.empty();
    }
  }
}
