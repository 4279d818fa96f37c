package dev.overnight.core.doctor.internal;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.doctor.DoctorReport.Candidate;
import dev.overnight.core.doctor.DoctorReport.CheckerReport;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.spi.NamedProviders;
import dev.overnight.core.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Asks every constraint checker what it would answer now: the built-ins, the ones the configuration
 * names, and any other provider found. For each it records which provider served it (chosen as at
 * run time, by {@link NamedProviders}), why the other candidates did not, the answer and how long
 * it took.
 *
 * <p>An enabled checker with no provider, or whose provider rejects its settings or cannot create
 * it, is a problem; an enabled checker that answers {@code UNSATISFIED} or {@code UNKNOWN} is a
 * warning. Disabled built-ins are checked too, with default settings, to show what they would say.
 *
 * <p>Checkers run in parallel on daemon threads; {@link #run} blocks for at most about the
 * configuration's check timeout. A checker that overruns is reported {@code UNKNOWN} and left
 * running on its daemon thread.
 */
public final class ConstraintCheckersCheck implements DoctorCheck {
  private final Constraints constraints;
  private final List<ConstraintCheckerProvider> providers;
  private final InstantSource clock;
  private final double defaultCpuMaxPercentage;

  /**
   * Checks with the given providers.
   *
   * @param constraints the configuration's constraints: which checkers are enabled, with which
   *     settings, the check timeout and how {@code UNKNOWN} is treated
   * @param providers every constraint checker provider found
   * @param clock times each check
   * @param defaultCpuMaxPercentage the limit {@code cpu_max_percentage} is checked with when the
   *     configuration sets none
   */
  public ConstraintCheckersCheck(
      Constraints constraints,
      List<ConstraintCheckerProvider> providers,
      InstantSource clock,
      double defaultCpuMaxPercentage) {
    this.constraints = Objects.requireNonNull(constraints, "constraints");
    this.providers = List.copyOf(providers);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.defaultCpuMaxPercentage = defaultCpuMaxPercentage;
  }

  @Override
  public void run(Findings findings) {
    NamedProviders<ConstraintCheckerProvider> named =
        new NamedProviders<>(
            "constraint checker",
            List.of(),
            providers,
            ConstraintCheckerProvider::name,
            ConstraintCheckerProvider::order,
            ConstraintCheckerProvider::isSupported);
    Set<String> names = new LinkedHashSet<>(Constraints.BUILT_IN);
    names.addAll(constraints.checkers().keySet());
    names.addAll(named.names());
    List<String> enabled = constraints.enabledCheckers();

    ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "overnight-doctor-check");
              t.setDaemon(true);
              return t;
            });
    try {
      Map<String, Pending> pending = new LinkedHashMap<>();
      for (String name : names) {
        pending.put(name, start(name, enabled.contains(name), named, pool));
      }
      List<CheckerReport> reports = new ArrayList<>();
      for (Pending p : pending.values()) {
        CheckerReport report = p.finish(constraints.checkTimeout());
        reports.add(report);
        judge(report, p.setupFailed, findings);
      }
      findings.reportCheckers(reports);
    } finally {
      // A checker that overran keeps its daemon thread; nothing waits for it.
      pool.shutdownNow();
    }
  }

  private Pending start(
      String name,
      boolean enabled,
      NamedProviders<ConstraintCheckerProvider> named,
      ExecutorService pool) {
    Optional<ConstraintCheckerProvider> chosen = named.select(name);
    List<Candidate> candidates =
        Candidates.of(
            providers.stream().filter(p -> name.equals(safeName(p))).collect(Collectors.toList()),
            chosen,
            ConstraintCheckerProvider::order,
            ConstraintCheckerProvider::isSupported);
    if (chosen.isEmpty()) {
      String reason =
          candidates.isEmpty()
              ? "no provider serves '" + name + "' (add the platform module for this system)"
              : "no provider of '" + name + "' is supported on " + OsFamily.describeCurrent();
      return Pending.done(name, enabled, ConstraintResult.unknown(reason), null, candidates);
    }
    ConstraintCheckerProvider provider = chosen.get();
    Object value = settingsValue(name);
    if (value == null) {
      return Pending.done(
          name,
          enabled,
          ConstraintResult.unknown(
              "provided by "
                  + provider.getClass().getName()
                  + " but not configured under constraints.checkers"),
          provider,
          candidates);
    }
    ConstraintChecker checker;
    try {
      checker = provider.create(new ConstraintSettings(name, value, constraints));
    } catch (ConfigException e) {
      return Pending.failed(
          name,
          enabled,
          ConstraintResult.unknown("settings rejected: " + oneLine(e.getMessage())),
          provider,
          candidates);
    } catch (RuntimeException | LinkageError e) {
      return Pending.failed(
          name,
          enabled,
          ConstraintResult.unknown("could not create the checker: " + e),
          provider,
          candidates);
    }
    CompletableFuture<Timed> future =
        CompletableFuture.supplyAsync(
            () -> {
              Instant before = clock.instant();
              ConstraintResult result = checker.check();
              return new Timed(result, Duration.between(before, clock.instant()));
            },
            pool);
    return new Pending(name, enabled, provider, candidates, future, null, false);
  }

  private Object settingsValue(String name) {
    if (Constraints.BUILT_IN.contains(name)) {
      return "cpu_max_percentage".equals(name)
          ? constraints.cpuMaxPercentage().orElse(defaultCpuMaxPercentage)
          : Boolean.TRUE;
    }
    return constraints.checkers().get(name);
  }

  private void judge(CheckerReport r, boolean setupFailed, Findings findings) {
    if (!r.enabled()) {
      return;
    }
    if (r.provider().isEmpty()) {
      findings.problem("constraint '" + r.name() + "' is enabled but " + r.reason());
    } else if (setupFailed) {
      findings.problem("constraint '" + r.name() + "': " + r.reason());
    } else if (r.status() == ConstraintStatus.UNSATISFIED) {
      findings.warning("constraint '" + r.name() + "' holds cycles back right now: " + r.reason());
    } else if (r.status() == ConstraintStatus.UNKNOWN) {
      boolean passes = constraints.onUnknown().jsonName().equals("pass");
      findings.warning(
          "constraint '"
              + r.name()
              + "' cannot tell ("
              + r.reason()
              + "); with on_unknown="
              + constraints.onUnknown().jsonName()
              + " it "
              + (passes ? "lets" : "holds")
              + " cycles "
              + (passes ? "run" : "back"));
    }
  }

  private static String safeName(ConstraintCheckerProvider p) {
    try {
      return p.name();
    } catch (RuntimeException e) {
      return p.getClass().getName();
    }
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replace('\n', ' ').replaceAll("\\s+", " ").strip();
  }

  /** A check under way, or one that finished before it started. */
  private static final class Pending {
    final String name;
    final boolean enabled;
    final ConstraintCheckerProvider provider;
    final List<Candidate> candidates;
    final CompletableFuture<Timed> future;
    final ConstraintResult immediate;
    final boolean setupFailed;

    Pending(
        String name,
        boolean enabled,
        ConstraintCheckerProvider provider,
        List<Candidate> candidates,
        CompletableFuture<Timed> future,
        ConstraintResult immediate,
        boolean setupFailed) {
      this.name = name;
      this.enabled = enabled;
      this.provider = provider;
      this.candidates = candidates;
      this.future = future;
      this.immediate = immediate;
      this.setupFailed = setupFailed;
    }

    static Pending done(
        String name,
        boolean enabled,
        ConstraintResult result,
        ConstraintCheckerProvider provider,
        List<Candidate> candidates) {
      return new Pending(name, enabled, provider, candidates, null, result, false);
    }

    static Pending failed(
        String name,
        boolean enabled,
        ConstraintResult result,
        ConstraintCheckerProvider provider,
        List<Candidate> candidates) {
      return new Pending(name, enabled, provider, candidates, null, result, true);
    }

    CheckerReport finish(Duration timeout) {
      ConstraintResult result = immediate;
      Duration elapsed = Duration.ZERO;
      if (future != null) {
        try {
          Timed timed = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          result =
              timed.result() != null
                  ? timed.result()
                  : ConstraintResult.unknown("the checker returned no result");
          elapsed = timed.elapsed();
        } catch (TimeoutException e) {
          future.cancel(true);
          result =
              ConstraintResult.unknown(
                  "no answer within " + Durations.human(timeout) + " (check_timeout)");
          elapsed = timeout;
        } catch (ExecutionException e) {
          result = ConstraintResult.unknown("the checker threw " + e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          result = ConstraintResult.unknown("interrupted");
        }
      }
      return new CheckerReport(
          name,
          enabled,
          result.status(),
          result.reason().isBlank() ? "(the checker gave no reason)" : result.reason(),
          Optional.ofNullable(provider).map(p -> p.getClass().getName()),
          candidates,
          elapsed);
    }
  }

  private record Timed(ConstraintResult result, Duration elapsed) {}
}
