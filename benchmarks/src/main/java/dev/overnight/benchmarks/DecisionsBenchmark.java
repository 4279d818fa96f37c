package dev.overnight.benchmarks;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.BuiltInAgents;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.decision.RepositorySnapshot.Commit;
import dev.overnight.api.decision.RepositorySnapshot.FileChange;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.decision.AgentDecisionEngine;
import dev.overnight.core.decision.DecisionInputs;
import dev.overnight.core.decision.EvidenceDecisionEngine;
import dev.overnight.core.decision.HeuristicDecisionEngine;
import dev.overnight.core.decision.internal.CheckersSource;
import dev.overnight.core.decision.internal.CommitLog;
import dev.overnight.core.decision.internal.Exclusions;
import dev.overnight.core.decision.internal.GitReader;
import dev.overnight.core.decision.internal.RefactorSource;
import dev.overnight.core.decision.internal.RegressionTestsSource;
import dev.overnight.core.decision.internal.SourceFiles;
import dev.overnight.core.decision.internal.TestsSource;
import dev.overnight.core.decision.internal.TodoSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code benchmarks/run decisions REPO...}: a backtest of the decision engines against what
 * maintainers really did. For each repository (a local git clone, taken as given: this needs no
 * network), at several cut points 90 days or more before its last commit, it checks out the cut,
 * plans {@code --as-of} the cut with the evidence engine (its top five proposals) and with the
 * original heuristics (five decisions, each passing over the ones before), and compares them with
 * the next 90 days of history: a tests proposal hits when a test file added or changed in the
 * window exercises the proposed file (changed in the same commit, or names its module or types);
 * any other proposal hits when the proposed file was substantially changed (at least {@value
 * #SUBSTANTIAL_LINES} lines or {@value #SUBSTANTIAL_COMMITS} commits). A proposal naming no file
 * never hits.
 *
 * <p>Also times {@code plan} on a generated repository of 50,000 commits ({@code git fast-import})
 * with a 90-day lookback. Prints the figures and the summary line {@code decisions:
 * precision_at_1=… precision_at_5=… vs_original=… specific=… silly=…}; writes {@code
 * benchmarks/results/decisions.json}. With {@code --engine agent} the first logged-in agent also
 * plans every cut ({@link PlanningBenchmark}), and the run says so when none is; every run then
 * measures the agent planner's overhead with the scripted agent ({@code planning: plan_ms=…
 * prompt_kb=… fallback_ok=…}).
 */
final class DecisionsBenchmark {
  static final int SUBSTANTIAL_LINES = 20;
  static final int SUBSTANTIAL_COMMITS = 2;
  static final int WINDOW_DAYS = 90;
  static final int LOOKBACK_DAYS = 90;
  static final int TOP = 5;
  static final int SCALE_COMMITS = 50_000;
  static final int SCALE_DAYS = 5 * 365;

  private DecisionsBenchmark() {}

  /** Runs the backtest over {@code args} (repository paths; {@code --quick}: fewer cuts). */
  static void run(List<String> args) throws Exception {
    boolean quick = args.contains("--quick");
    int engineAt = args.indexOf("--engine");
    String engine = engineAt >= 0 && engineAt + 1 < args.size() ? args.get(engineAt + 1) : "";
    List<Path> repos = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (i == engineAt + 1 && engineAt >= 0 || args.get(i).startsWith("--")) {
        continue;
      }
      repos.add(Path.of(args.get(i)));
    }
    Path tmp = Files.createTempDirectory("overnight-decisions");
    Optional<AgentProvider> planner = Optional.empty();
    if (engine.equals(AgentDecisionEngine.NAME)) {
      List<String> why = new ArrayList<>();
      planner = PlanningBenchmark.loggedInAgent(tmp, why);
      if (planner.isEmpty()) {
        System.out.println(
            "decisions --engine agent: no agent is logged in here, so the backtest runs without"
                + " the agent planner ("
                + String.join("; ", why)
                + "). Log in to Claude Code or Codex to backtest it.");
      } else {
        System.out.println("decisions --engine agent: planning with " + planner.get().id());
      }
    } else if (!engine.isEmpty()) {
      throw new IllegalArgumentException("--engine takes agent, not " + engine);
    }
    Tally evidence = new Tally();
    Tally original = new Tally();
    Tally agentTally = new Tally();
    UpgradesBacktest.Tally upgrades = new UpgradesBacktest.Tally();
    List<Map<String, Object>> perRepo = new ArrayList<>();
    for (Path repo : repos) {
      String name = name(repo);
      Path clone = tmp.resolve(name + "-" + perRepo.size());
      sh(
          tmp,
          "git",
          "clone",
          "-q",
          "--no-checkout",
          repo.toAbsolutePath().toString(),
          clone.toString());
      GitReader git = new GitReader(clone, Duration.ofMinutes(5));
      String head = git.git("rev-parse", "HEAD").stdout().strip();
      Instant last =
          Instant.ofEpochSecond(
              Long.parseLong(git.git("log", "-1", "--format=%ct", head).stdout().strip()));
      int cuts = quick ? 2 : 4;
      Tally repoEvidence = new Tally();
      Tally repoOriginal = new Tally();
      Tally repoAgent = new Tally();
      UpgradesBacktest.Tally repoUpgrades = new UpgradesBacktest.Tally();
      List<Map<String, Object>> cutResults = new ArrayList<>();
      Map<String, Object> cutAgent = new LinkedHashMap<>();
      for (int k = 0; k < cuts; k++) {
        Instant cut =
            last.minus(Duration.ofDays(WINDOW_DAYS + 90L * k)).truncatedTo(ChronoUnit.SECONDS);
        String at = git.git("rev-list", "-1", "--before=" + cut, head).stdout().strip();
        if (at.isEmpty()) {
          continue;
        }
        sh(clone, "git", "checkout", "-q", "-f", at);
        sh(clone, "git", "clean", "-q", "-fdx");
        Truth truth = truth(git, head, cut);
        OrchestrationConfig cfg = config(clone);
        long t0 = System.nanoTime();
        List<Proposal> ours = evidenceProposals(cfg, cut);
        long evidenceMs = (System.nanoTime() - t0) / 1_000_000;
        List<Proposal> theirs = originalProposals(cfg, cut);
        if (planner.isPresent()) {
          List<Proposal> agents =
              PlanningBenchmark.agentProposals(planner.get(), context(cfg, cut));
          Map<String, Object> a = judge(agents, truth, clone, repoAgent);
          System.out.printf(
              "%s @ %s: agent %s/%d hits%n",
              name, cut, a.get("hits"), Math.min(TOP, agents.size()));
          cutAgent.put(cut.toString(), a);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cut", cut.toString());
        c.put("commit", at);
        c.put("changed_files_next_90_days", truth.changed.size());
        c.put("evidence_plan_ms", evidenceMs);
        Map<String, Object> e = judge(ours, truth, clone, repoEvidence);
        Map<String, Object> o = judge(theirs, truth, clone, repoOriginal);
        c.put("evidence", e);
        c.put("original", o);
        cutResults.add(c);
        System.out.printf(
            "%s @ %s: evidence %s/%d hits, original %s/%d hits%n",
            name,
            cut,
            e.get("hits"),
            Math.min(TOP, ours.size()),
            o.get("hits"),
            Math.min(TOP, theirs.size()));
        for (Object x : (List<?>) e.get("proposals")) {
          System.out.println("    evidence " + x);
        }
        for (Object x : (List<?>) o.get("proposals")) {
          System.out.println("    original " + x);
        }
        String windowEnd =
            git.git("rev-list", "-1", "--before=" + cut.plus(Duration.ofDays(WINDOW_DAYS)), head)
                .stdout()
                .strip();
        List<String> upgradeLines =
            UpgradesBacktest.judge(cfg, cut, git, at, windowEnd, head, repoUpgrades);
        upgradeLines.forEach(l -> System.out.println("    upgrade " + l));
        c.put("upgrades", upgradeLines);
      }
      sh(clone, "git", "checkout", "-q", "-f", head);
      evidence.add(repoEvidence);
      original.add(repoOriginal);
      agentTally.add(repoAgent);
      upgrades.add(repoUpgrades);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("repository", name);
      r.put("path", repo.toString());
      r.put("head", head);
      r.put("last_commit", last.toString());
      r.put("evidence", repoEvidence.figures());
      r.put("original", repoOriginal.figures());
      r.put("upgrades", repoUpgrades.figures());
      r.put("cuts", cutResults);
      if (planner.isPresent()) {
        r.put("agent", repoAgent.figures());
        r.put("agent_cuts", cutAgent);
      }
      perRepo.add(r);
      System.out.printf(
          "%s: evidence p@1=%.2f p@5=%.2f | original p@1=%.2f p@5=%.2f%n",
          name, repoEvidence.p1(), repoEvidence.p5(), repoOriginal.p1(), repoOriginal.p5());
    }
    Map<String, Object> scale = scale(tmp, quick);
    System.out.println("scale: " + scale);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("precision_at_1", evidence.p1());
    summary.put("precision_at_5", evidence.p5());
    summary.put(
        "vs_original",
        original.p5() == 0 ? evidence.p5() == 0 ? 1.0 : 99.0 : evidence.p5() / original.p5());
    summary.put("specific", evidence.specific());
    summary.put("silly", evidence.silly);
    summary.put("upgrades", upgrades.proposed);
    summary.put("upgrade_match", upgrades.matchRate());
    summary.put("upgrade_match_later", upgrades.laterRate());
    if (engine.equals(AgentDecisionEngine.NAME)) {
      summary.put("agent", planner.map(AgentProvider::id).orElse("none"));
      planner.ifPresent(a -> summary.put("agent_precision_at_5", agentTally.p5()));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("original", original.figures());
    details.put("evidence", evidence.figures());
    details.put("upgrades", upgrades.figures());
    details.put("repositories", perRepo);
    details.put("scale", scale);
    details.put(
        "method",
        "cuts every 90 days from 90 days before the last commit; top "
            + TOP
            + " proposals; lookback "
            + LOOKBACK_DAYS
            + " days; hit window "
            + WINDOW_DAYS
            + " days");
    if (planner.isPresent()) {
      details.put("agent", agentTally.figures());
    }
    Results.publish("decisions", summary, details);
    PlanningBenchmark.overhead(tmp);
  }

  /**
   * A readable name: the folder's, or its parent's for {@code …/name/repo} and bare {@code .git}.
   */
  static String name(Path repo) {
    Path abs = repo.toAbsolutePath().normalize();
    String n = abs.getFileName().toString();
    if ((n.equals("repo") || n.equals(".git")) && abs.getParent() != null) {
      n = abs.getParent().getFileName().toString();
    }
    return n.replace(".git", "").replace('+', '-');
  }

  private static OrchestrationConfig config(Path ws) {
    return OrchestrationConfig.builder(ConfigValue.of(ws.toString()))
        .id("backtest")
        .decision(
            new DecisionSettings(DecisionSettings.DEFAULT_ENGINE, LOOKBACK_DAYS, 20, List.of()))
        .build();
  }

  private static List<CandidateSource> sources() {
    return List.of(
        new TestsSource(),
        new RegressionTestsSource(),
        new TodoSource(),
        new RefactorSource(),
        new CheckersSource());
  }

  private static Map<String, Availability> agents() {
    return Map.of(
        BuiltInAgents.CLAUDE_CODE, Availability.available("backtest"),
        BuiltInAgents.CODEX, Availability.available("backtest"));
  }

  /** A proposal: its kind (tests or not) and file, if it names one. */
  record Proposal(boolean tests, Optional<String> file, String title) {}

  /** What the engines see at a cut. */
  static DecisionContext context(OrchestrationConfig cfg, Instant cut) {
    return DecisionInputs.builder(cfg, InstantSource.fixed(cut))
        .candidateSources(sources())
        .agents(agents())
        .asOf(cut)
        .build()
        .gather()
        .context();
  }

  static List<Proposal> evidenceProposals(OrchestrationConfig cfg, Instant cut) {
    DecisionContext ctx = context(cfg, cut);
    List<Proposal> out = new ArrayList<>();
    for (EvidenceDecisionEngine.Ranked r : EvidenceDecisionEngine.rank(ctx)) {
      Candidate c = r.candidate();
      out.add(
          new Proposal(
              c.kind() == CandidateKind.TESTS || c.kind() == CandidateKind.REGRESSION_TEST,
              c.files().stream().findFirst(),
              c.title()));
      if (out.size() == TOP) {
        break;
      }
    }
    return out;
  }

  static List<Proposal> originalProposals(OrchestrationConfig cfg, Instant cut) {
    HeuristicDecisionEngine engine = new HeuristicDecisionEngine();
    Set<String> done = new HashSet<>();
    List<Proposal> out = new ArrayList<>();
    DecisionContext base =
        DecisionInputs.builder(cfg, InstantSource.fixed(cut))
            .agents(agents())
            .asOf(cut)
            .build()
            .gather()
            .context();
    for (int i = 0; i < TOP; i++) {
      DecisionContext ctx =
          new DecisionContext(
              base.config(),
              base.fileActivity(),
              base.sessions(),
              base.agents(),
              base.filesWithTests(),
              done,
              base.now());
      Optional<Decision> d = engine.decide(ctx);
      if (d.isEmpty()) {
        break;
      }
      out.add(
          new Proposal(
              d.get().path() == DecisionPath.TESTS, d.get().targetFile(), d.get().title()));
      done.add(TaskSpec.defaultOpHash(d.get().prompt(), Optional.of(d.get().agentId())));
    }
    return out;
  }

  /** What the maintainers did in the window after the cut. */
  record Truth(
      Map<String, int[]> changed,
      Map<String, Set<String>> testsWith,
      Map<String, String> testTexts) {}

  static Truth truth(GitReader git, String head, Instant cut) {
    Instant end = cut.plus(Duration.ofDays(WINDOW_DAYS));
    String out =
        git.git(
                "log",
                "--no-merges",
                "--numstat",
                "-z",
                "--format=%x1e%H%x1f%ct%x1f%s",
                "--since=" + cut,
                "--until=" + end,
                head,
                "--")
            .stdout();
    Map<String, int[]> changed = new HashMap<>();
    Map<String, Set<String>> testsWith = new HashMap<>();
    for (Commit c : CommitLog.parse(out)) {
      List<String> tests = new ArrayList<>();
      for (FileChange f : c.changes()) {
        int[] n = changed.computeIfAbsent(f.path(), k -> new int[2]);
        n[0] += Math.max(0, f.added()) + Math.max(0, f.deleted());
        n[1]++;
        if (SourceFiles.isTest(f.path())) {
          tests.add(f.path());
        }
      }
      for (FileChange f : c.changes()) {
        if (!tests.isEmpty()) {
          testsWith.computeIfAbsent(f.path(), k -> new HashSet<>()).addAll(tests);
        }
      }
    }
    // The lines tests gained in the window: what "tests added or changed that exercise a file"
    // can mention. Whole test files would credit any proposal a big old test happens to name.
    List<String> args =
        new ArrayList<>(
            List.of(
                "log",
                "--no-merges",
                "-p",
                "--no-color",
                "--format=%x1e",
                "--since=" + cut,
                "--until=" + end,
                head,
                "--"));
    args.addAll(TestsSource.TEST_PATHSPECS);
    StringBuilder added = new StringBuilder();
    String current = null;
    for (String line : git.git(args).stdout().split("\n")) {
      if (line.startsWith("+++ ")) {
        current = line.startsWith("+++ b/") ? line.substring(6) : null;
      } else if (line.startsWith("+") && current != null && SourceFiles.isTest(current)) {
        added.append(line, 1, line.length()).append('\n');
      }
    }
    Map<String, String> texts = new HashMap<>();
    texts.put("added test lines", added.toString());
    return new Truth(changed, testsWith, texts);
  }

  static boolean hit(Proposal p, Truth truth, Path clone) {
    if (p.file().isEmpty()) {
      return false;
    }
    String f = p.file().get();
    if (p.tests()) {
      if (!truth.testsWith().getOrDefault(f, Set.of()).isEmpty()) {
        return true;
      }
      String text = read(clone.resolve(f));
      List<String> words = TestsSource.wordsOf(f, text);
      for (String t : truth.testTexts().values()) {
        for (String w : words) {
          if (TestsSource.containsWord(t, w)) {
            return true;
          }
        }
      }
      return false;
    }
    int[] n = truth.changed().get(f);
    return n != null && (n[0] >= SUBSTANTIAL_LINES || n[1] >= SUBSTANTIAL_COMMITS);
  }

  static Map<String, Object> judge(List<Proposal> ps, Truth truth, Path clone, Tally tally) {
    List<Map<String, Object>> list = new ArrayList<>();
    int hits = 0;
    for (int i = 0; i < ps.size() && i < TOP; i++) {
      Proposal p = ps.get(i);
      boolean hit = hit(p, truth, clone);
      Optional<String> silly = p.file().flatMap(f -> silly(f, clone));
      tally.count(i, hit, p.file().isPresent(), silly.isPresent());
      hits += hit ? 1 : 0;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("title", p.title());
      p.file().ifPresent(f -> m.put("file", f));
      m.put("tests", p.tests());
      m.put("hit", hit);
      silly.ifPresent(s -> m.put("silly", s));
      list.add(m);
    }
    if (ps.isEmpty()) {
      tally.nothing++;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hits", hits);
    m.put("proposals", list);
    return m;
  }

  /**
   * What the issue calls silly: tests, docs, generated, vendored, constants-only, build scripts.
   */
  static final List<String> SILLY =
      List.of(
          "a test file",
          "documentation",
          "generated",
          "vendored",
          "constants",
          "declarations only",
          "type declarations",
          "build or setup script");

  /** Why a proposal about this file is silly, judged from the checkout at the cut. */
  static Optional<String> silly(String file, Path clone) {
    Exclusions rules = Exclusions.of(Optional.of(read(clone.resolve(".gitattributes"))));
    return rules
        .of(file, read(clone.resolve(file)))
        .filter(why -> SILLY.stream().anyMatch(why::startsWith));
  }

  static String read(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** Hits and proposals counted over cuts. */
  static final class Tally {
    int proposals1;
    int hits1;
    int proposals5;
    int hits5;
    int specific;
    int silly;
    int nothing;

    void count(int rank, boolean hit, boolean specificProposal, boolean sillyProposal) {
      if (rank == 0) {
        proposals1++;
        hits1 += hit ? 1 : 0;
      }
      proposals5++;
      hits5 += hit ? 1 : 0;
      specific += specificProposal ? 1 : 0;
      silly += sillyProposal ? 1 : 0;
    }

    void add(Tally o) {
      proposals1 += o.proposals1;
      hits1 += o.hits1;
      proposals5 += o.proposals5;
      hits5 += o.hits5;
      specific += o.specific;
      silly += o.silly;
      nothing += o.nothing;
    }

    double p1() {
      return proposals1 == 0 ? 0 : round((double) hits1 / proposals1);
    }

    double p5() {
      return proposals5 == 0 ? 0 : round((double) hits5 / proposals5);
    }

    double specific() {
      return proposals5 == 0 ? 0 : round((double) specific / proposals5);
    }

    Map<String, Object> figures() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("precision_at_1", p1());
      m.put("precision_at_5", p5());
      m.put("proposals", proposals5);
      m.put("hits", hits5);
      m.put("specific", specific());
      m.put("silly", silly);
      m.put("cuts_with_nothing", nothing);
      return m;
    }
  }

  static double round(double v) {
    return Math.round(v * 1000d) / 1000d;
  }

  // ------------------------------------------------------------------------------ scale

  /** Times plan on a generated repository of 50,000 commits, 90-day lookback. */
  static Map<String, Object> scale(Path tmp, boolean quick) throws Exception {
    int commits = quick ? 10_000 : SCALE_COMMITS;
    Path repo = tmp.resolve("scale");
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    long t0 = System.nanoTime();
    ScaleRepository.generate(repo, commits, now, SCALE_DAYS);
    long genMs = (System.nanoTime() - t0) / 1_000_000;
    OrchestrationConfig cfg = config(repo);
    long best = Long.MAX_VALUE;
    int proposals = 0;
    for (int i = 0; i < 3; i++) {
      long s = System.nanoTime();
      DecisionContext ctx =
          DecisionInputs.builder(cfg, InstantSource.fixed(now))
              .candidateSources(sources())
              .agents(agents())
              .build()
              .gather()
              .context();
      new EvidenceDecisionEngine().explain(ctx);
      proposals = EvidenceDecisionEngine.rank(ctx).size();
      best = Math.min(best, (System.nanoTime() - s) / 1_000_000);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("commits", commits);
    m.put("lookback_days", LOOKBACK_DAYS);
    m.put("generate_ms", genMs);
    m.put("plan_ms_best_of_3", best);
    m.put("proposals", proposals);
    return m;
  }

  static void sh(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IOException(
          String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
  }
}
