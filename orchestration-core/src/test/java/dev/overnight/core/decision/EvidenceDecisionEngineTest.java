package dev.overnight.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.Availability;
import dev.overnight.api.config.CheckerCommand;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionExplanation;
import dev.overnight.api.decision.Exclusion;
import dev.overnight.core.decision.internal.CheckersSource;
import dev.overnight.core.decision.internal.RefactorSource;
import dev.overnight.core.decision.internal.RegressionTestsSource;
import dev.overnight.core.decision.internal.TestsSource;
import dev.overnight.core.decision.internal.TodoSource;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evidence engine and its built-in candidate sources on small repositories built here. */
class EvidenceDecisionEngineTest {
  static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path tmp;

  // ------------------------------------------------------------------ fixtures

  /** A Python module with {@code n} small functions: real logic, not tiny. */
  static String python(String name, int n) {
    StringBuilder b = new StringBuilder("\"\"\"" + name + ".\"\"\"\n\n");
    for (int i = 0; i < n; i++) {
      b.append("def ").append(name).append("_step").append(i).append("(value):\n");
      b.append("    total = value * ").append(i + 2).append('\n');
      b.append("    if total > 10:\n        total -= 1\n");
      b.append("    return total\n\n");
    }
    return b.toString();
  }

  /** A Java class with {@code n} methods. */
  static String java(String pkg, String name, int n, int linesPerMethod) {
    StringBuilder b = new StringBuilder("package " + pkg + ";\n\npublic class " + name + " {\n");
    for (int i = 0; i < n; i++) {
      b.append("  public int step").append(i).append("(int x) {\n");
      for (int l = 0; l < linesPerMethod; l++) {
        b.append("    x = x * ").append(l + 3).append(" + ").append(i).append(";\n");
      }
      b.append("    return x;\n  }\n");
    }
    return b.append("}\n").toString();
  }

  Path folder(String name) {
    try {
      return java.nio.file.Files.createDirectories(tmp.resolve(name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String day(int daysBeforeNow) {
    return NOW.minusSeconds(daysBeforeNow * 86_400L).toString();
  }

  OrchestrationConfig config(Path ws, int lookbackDays, List<String> goals) {
    return config(ws, lookbackDays, goals, List.of());
  }

  OrchestrationConfig config(
      Path ws, int lookbackDays, List<String> goals, List<CheckerCommand> checkers) {
    return OrchestrationConfig.builder(ConfigValue.of(ws.toString()))
        .id("nightly")
        .goals(goals)
        .decision(
            new DecisionSettings(
                EvidenceDecisionEngine.NAME,
                lookbackDays,
                20,
                List.of(),
                List.of(),
                Optional.empty(),
                checkers,
                DecisionSettings.DEFAULT_RECENT_COMMITS))
        .build();
  }

  DecisionInputs.Builder inputs(OrchestrationConfig cfg) {
    return DecisionInputs.builder(cfg, InstantSource.fixed(NOW))
        .candidateSources(
            List.of(
                new TestsSource(),
                new RegressionTestsSource(),
                new TodoSource(),
                new RefactorSource(),
                new CheckersSource()))
        .agents(
            Map.of(
                "claude-code", Availability.available("on PATH"),
                "codex", Availability.available("on PATH")));
  }

  DecisionContext gather(OrchestrationConfig cfg) {
    return inputs(cfg).build().gather().context();
  }

  static List<Candidate> of(DecisionContext ctx, CandidateKind kind) {
    return ctx.candidates().stream().filter(c -> c.kind() == kind).toList();
  }

  static List<String> files(List<Candidate> candidates) {
    return candidates.stream().flatMap(c -> c.files().stream()).toList();
  }

  // ------------------------------------------------------------------ already tested

  @Test
  void aFileThatChangesTogetherWithATestCountsAsTested() {
    Path ws = folder("cochange");
    GitRepo.init(ws)
        .commit(
            day(60),
            "start",
            Map.of(
                "app/parser.py", python("parser", 6),
                "app/lexer.py", python("lexer", 6),
                "checks/test_behaviour.py", "def test_it():\n    assert True\n"))
        .commit(
            day(10),
            "parser handles quotes",
            Map.of(
                "app/parser.py",
                python("parser", 7),
                "checks/test_behaviour.py",
                "def test_it():\n    assert 1\n"))
        .commit(day(5), "lexer handles tabs", Map.of("app/lexer.py", python("lexer", 7)))
        .commit(day(4), "lexer handles CRLF", Map.of("app/lexer.py", python("lexer", 8)));

    DecisionContext ctx = gather(config(ws, 30, List.of()));

    assertThat(files(of(ctx, CandidateKind.TESTS))).containsExactly("app/lexer.py");
  }

  @Test
  void testsThatReferToAModuleOrItsTypesCountEvenUnderAnotherName() {
    Path ws = folder("reference");
    String models =
        python("models", 5) + "class PreparedRequest:\n    def prepare(self):\n        return 1\n";
    GitRepo.init(ws)
        .commit(
            day(40),
            "start",
            Map.of(
                "requests/models.py",
                models,
                "requests/sessions.py",
                python("sessions", 6),
                "tests/test_requests.py",
                "from requests.models import PreparedRequest\n\n"
                    + "def test_prepare():\n    assert PreparedRequest().prepare() == 1\n"))
        .commit(day(3), "models", Map.of("requests/models.py", models + "\nX = 1\n"))
        .commit(day(2), "sessions", Map.of("requests/sessions.py", python("sessions", 7)))
        .commit(
            day(1),
            "both again",
            Map.of(
                "requests/models.py",
                models + "\nX = 2\n",
                "requests/sessions.py",
                python("sessions", 8)));

    DecisionContext ctx = gather(config(ws, 30, List.of()));

    assertThat(files(of(ctx, CandidateKind.TESTS))).containsExactly("requests/sessions.py");
    Candidate c = of(ctx, CandidateKind.TESTS).get(0);
    assertThat(c.prompt())
        .contains("requests/sessions.py")
        .contains("no test file changed together with it")
        .contains("no test refers to sessions");
  }

  @Test
  void aCoverageReportDecidesAndThePromptNamesTheUncoveredMethodsAndLines() {
    Path ws = folder("coverage");
    GitRepo.init(ws)
        .commit(
            day(20),
            "start",
            Map.of(
                "pkg/calc.py", python("calc", 6),
                "pkg/well.py", python("well", 6),
                ".gitignore", "coverage.xml\n"))
        .commit(
            day(4),
            "change both",
            Map.of("pkg/calc.py", python("calc", 7), "pkg/well.py", python("well", 7)))
        .write(
            "coverage.xml",
            """
            <?xml version="1.0" ?>
            <!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
            <coverage line-rate="0.5">
              <sources><source>/home/ci/project</source></sources>
              <packages><package name="pkg"><classes>
                <class name="calc.py" filename="pkg/calc.py" line-rate="0.25">
                  <methods>
                    <method name="calc_step3" signature=""><lines><line number="16" hits="0"/></lines></method>
                  </methods>
                  <lines>
                    <line number="3" hits="1"/><line number="16" hits="0"/>
                    <line number="17" hits="0"/><line number="18" hits="0"/>
                  </lines>
                </class>
                <class name="well.py" filename="pkg/well.py" line-rate="1">
                  <lines><line number="3" hits="4"/><line number="4" hits="4"/></lines>
                </class>
              </classes></package></packages>
            </coverage>
            """);

    DecisionContext ctx = gather(config(ws, 30, List.of()));

    List<Candidate> tests = of(ctx, CandidateKind.TESTS);
    assertThat(files(tests)).containsExactly("pkg/calc.py");
    assertThat(tests.get(0).prompt())
        .contains("only 25% of its lines")
        .contains("calc_step3 (line 16)")
        .contains("Uncovered lines: 16-18");
    assertThat(tests.get(0).evidence()).anyMatch(e -> e.kind().equals("coverage"));
  }

  // ------------------------------------------------------------------ bug fixes, TODOs, size

  @Test
  void aRecentBugFixWithoutATestBecomesARegressionTestCitingTheCommitAndItsDiff() {
    Path ws = folder("fix");
    GitRepo repo =
        GitRepo.init(ws)
            .commit(
                day(30),
                "start",
                Map.of(
                    "src/main/java/app/Header.java",
                    java("app", "Header", 4, 3),
                    "src/test/java/app/HeaderTest.java",
                    "class HeaderTest {}\n"))
            .commit(
                day(6),
                "Fix crash when the header is empty",
                Map.of("src/main/java/app/Header.java", java("app", "Header", 4, 3) + "// x\n"))
            .commit(
                day(5),
                "Fix the header parser with its test",
                Map.of(
                    "src/main/java/app/Header.java",
                    java("app", "Header", 4, 3) + "// y\n",
                    "src/test/java/app/HeaderTest.java",
                    "class HeaderTest { }\n"));
    String fix = repo.git(null, "rev-parse", "HEAD~1").strip();

    DecisionContext ctx = gather(config(ws, 30, List.of()));

    List<Candidate> regressions = of(ctx, CandidateKind.REGRESSION_TEST);
    assertThat(regressions).hasSize(1);
    Candidate c = regressions.get(0);
    assertThat(c.files()).containsExactly("src/main/java/app/Header.java");
    assertThat(c.prompt())
        .contains(fix.substring(0, 10))
        .contains("Fix crash when the header is empty")
        .contains("+// x");
    assertThat(c.evidence().get(0).commit()).contains(fix);
  }

  @Test
  void onlyTodosWrittenWithinTheWindowAreProposedWithTheLineQuoted() {
    Path ws = folder("todo");
    String old = python("store", 6) + "# TODO: old wish from long ago\n";
    GitRepo.init(ws)
        .commit(day(200), "start", Map.of("app/store.py", old))
        .commit(
            day(3),
            "store: cache lookups",
            Map.of(
                "app/store.py",
                old + "def cache():\n    # FIXME: evict stale entries\n    return {}\n"));

    DecisionContext ctx = gather(config(ws, 30, List.of()));

    List<Candidate> todos = of(ctx, CandidateKind.TODO);
    assertThat(todos).hasSize(1);
    assertThat(todos.get(0).prompt())
        .contains("FIXME: evict stale entries")
        .contains("app/store.py:");
    assertThat(todos.get(0).evidence().get(0).line()).isPresent();
  }

  @Test
  void aLargeHotFileIsProposedForRefactoringWithoutAnyMagicWord() {
    Path ws = folder("refactor");
    String big = java("app", "Engine", 30, 12);
    GitRepo.init(ws)
        .commit(day(20), "start", Map.of("src/main/java/app/Engine.java", big))
        .commit(day(10), "more", Map.of("src/main/java/app/Engine.java", big + "// a\n"))
        .commit(day(2), "more", Map.of("src/main/java/app/Engine.java", big + "// b\n"));

    DecisionContext ctx = gather(config(ws, 30, List.of()));

    List<Candidate> refactors = of(ctx, CandidateKind.REFACTOR);
    assertThat(files(refactors)).containsExactly("src/main/java/app/Engine.java");
    assertThat(refactors.get(0).title()).isEqualTo("Refactor Engine.java (454 lines, 3 commits)");
    assertThat(refactors.get(0).prompt())
        .contains("src/main/java/app/Engine.java")
        .contains("454 non-blank lines");
  }

  @Test
  void checkerFindingsInHotFilesBecomeCandidates() {
    Path ws = folder("checker");
    GitRepo.init(ws)
        .commit(
            day(60),
            "start",
            Map.of("app/io.py", python("io", 6), "app/cold.py", python("cold", 6)))
        .commit(day(2), "io", Map.of("app/io.py", python("io", 7)));
    List<CheckerCommand> checkers =
        List.of(
            new CheckerCommand(
                "lint",
                "printf 'app/io.py:12:5: E501 line too long\\n./app/cold.py:3: W1 unused\\n'"));

    DecisionContext ctx = gather(config(ws, 30, List.of(), checkers));

    List<Candidate> found = of(ctx, CandidateKind.CHECKER_FINDING);
    assertThat(files(found)).containsExactly("app/io.py");
    assertThat(found.get(0).prompt()).contains("line 12: E501 line too long");
  }

  // ------------------------------------------------------------------ exclusions

  @Test
  void vendoredAndGeneratedCodeIsExcludedWithItsReason() {
    Path ws = folder("vendored");
    GitRepo.init(ws)
        .commit(
            day(5),
            "everything",
            Map.of(
                ".gitattributes",
                "gen/** linguist-generated\nlib/ext/* linguist-vendored=true\n",
                "gen/api.py",
                python("api", 6),
                "lib/ext/thing.py",
                python("thing", 6),
                "vendor/github.com/x/y.go",
                "package y\n\nfunc Y() int {\n  return 1\n}\n",
                "internal/zz_client.go",
                "// Code generated by client-gen. DO NOT EDIT.\n\npackage x\n\n" + goFuncs(8),
                "proto/msg_pb2.py",
                python("msg", 6),
                "web/app.min.js",
                "function a(){return 1}",
                "src/main/java/app/Dto.java",
                "package app;\n\n@javax.annotation.Generated(\"x\")\n" + java("app", "Dto", 5, 3),
                "app/core.py",
                python("core", 6)))
        .commit(day(4), "core", Map.of("app/core.py", python("core", 7)));

    DecisionContext ctx = gather(config(ws, 30, List.of()));

    assertThat(ctx.exclusions())
        .extracting(Exclusion::path, Exclusion::reason)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "gen/api.py", "generated: .gitattributes marks it linguist-generated"),
            org.assertj.core.groups.Tuple.tuple(
                "lib/ext/thing.py", "vendored: .gitattributes marks it linguist-vendored"),
            org.assertj.core.groups.Tuple.tuple(
                "vendor/github.com/x/y.go", "vendored: under vendor/"),
            org.assertj.core.groups.Tuple.tuple(
                "internal/zz_client.go", "generated: its header says so"),
            org.assertj.core.groups.Tuple.tuple("proto/msg_pb2.py", "generated: by its name"),
            org.assertj.core.groups.Tuple.tuple("web/app.min.js", "generated: minified"),
            org.assertj.core.groups.Tuple.tuple(
                "src/main/java/app/Dto.java", "generated: its header says so"));
    assertThat(ctx.candidates())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.files()).containsExactly("app/core.py"));
    assertThat(
            new DecisionPlanner(new EvidenceDecisionEngine())
                .plan(inputs(config(ws, 30, List.of())).build())
                .toText())
        .contains("\nExcluded changed files\n")
        .containsPattern("  proto/msg_pb2.py +generated: by its name\n");
    assertThat(ctx.candidates()).isNotEmpty();
  }

  @Test
  void constantsTypesInterfacesDocsBuildScriptsTestsAndTinyFilesAreExcluded() {
    Path ws = folder("declarations");
    StringBuilder constants = new StringBuilder("\"\"\"Settings.\"\"\"\n");
    StringBuilder aliases = new StringBuilder("from typing import Union\n");
    StringBuilder iface = new StringBuilder("package app;\n\npublic interface Store {\n");
    for (int i = 0; i < 30; i++) {
      constants.append("LIMIT_").append(i).append(" = ").append(i).append('\n');
      aliases.append("Alias").append(i).append(" = Union[int, str]\n");
      iface.append("  int get").append(i).append("(String key);\n");
    }
    iface.append("}\n");
    GitRepo.init(ws)
        .commit(
            day(5),
            "everything",
            Map.of(
                "pkg/__version__.py", "__version__ = '1.0'\n",
                "pkg/limits.py", constants.toString(),
                "pkg/aliases.py", aliases.toString(),
                "src/main/java/app/Store.java", iface.toString(),
                "setup.py", python("setup", 6),
                "docs/conf.py", python("conf", 6),
                "tests/test_misc.py", python("misc", 6),
                "pkg/tiny.py", "def f():\n    return 1\n",
                "README.md", "# readme\n"))
        .commit(day(4), "core", Map.of("pkg/core.py", python("core", 6)))
        .commit(day(3), "core", Map.of("pkg/core.py", python("core", 7)));

    DecisionContext ctx = gather(config(ws, 30, List.of()));

    Map<String, String> reasons =
        ctx.exclusions().stream()
            .collect(java.util.stream.Collectors.toMap(Exclusion::path, Exclusion::reason));
    assertThat(reasons)
        .containsEntry(
            "pkg/__version__.py", "constants, types or package declarations only (by its name)")
        .containsEntry(
            "pkg/limits.py", "declarations only: constants, types or an interface without logic")
        .containsEntry(
            "pkg/aliases.py", "declarations only: constants, types or an interface without logic")
        .containsEntry(
            "src/main/java/app/Store.java",
            "declarations only: constants, types or an interface without logic")
        .containsEntry("setup.py", "build or setup script")
        .containsEntry("docs/conf.py", "documentation build settings")
        .containsEntry("tests/test_misc.py", "a test file")
        .containsEntry("pkg/tiny.py", "tiny (2 non-blank lines)")
        .containsEntry("README.md", "not source code");
    assertThat(ctx.candidates())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.files()).containsExactly("pkg/core.py"));
  }

  // ------------------------------------------------------------------ window, as-of, nothing

  @Test
  void aQuietRepositorySaysSoAndIsJudgedByItsMostRecentCommits() {
    Path ws = folder("quiet");
    GitRepo.init(ws)
        .commit(day(140), "start", Map.of("app/engine.py", python("engine", 6)))
        .commit(day(106), "engine", Map.of("app/engine.py", python("engine", 7)));

    DecisionContext ctx = gather(config(ws, 30, List.of()));

    assertThat(ctx.activityNote())
        .contains(
            "no commit in the last 30 days (last commit 106 days ago): judging by the 2 most"
                + " recent commits");
    assertThat(files(of(ctx, CandidateKind.TESTS))).containsExactly("app/engine.py");
    DecisionExplanation e = new EvidenceDecisionEngine().explain(ctx);
    assertThat(e.decision()).isPresent();
    assertThat(e.decision().get().rationale()).contains("last commit 106 days ago");
    String text =
        new DecisionPlanner(new EvidenceDecisionEngine())
            .plan(inputs(config(ws, 30, List.of())).build())
            .toText();
    assertThat(text)
        .contains("  activity     no commit in the last 30 days (last commit 106 days ago)")
        .contains("\nProposals, best first\n")
        .contains("  tests        1 candidate\n");
  }

  @Test
  void asOfIgnoresLaterCommits() {
    Path ws = folder("asof");
    GitRepo.init(ws)
        .commit(day(60), "start", Map.of("app/early.py", python("early", 6)))
        .commit(day(50), "Fix crash in early", Map.of("app/early.py", python("early", 7)))
        .commit(day(10), "late", Map.of("app/late.py", python("late", 6)))
        .commit(day(9), "Fix crash in late", Map.of("app/late.py", python("late", 7)));
    OrchestrationConfig cfg = config(ws, 30, List.of());

    DecisionContext now = gather(cfg);
    DecisionContext then =
        inputs(cfg).asOf(NOW.minusSeconds(40 * 86_400L)).build().gather().context();

    assertThat(files(now.candidates())).contains("app/late.py").doesNotContain("app/early.py");
    assertThat(then.asOf()).contains(NOW.minusSeconds(40 * 86_400L));
    assertThat(files(then.candidates())).contains("app/early.py").doesNotContain("app/late.py");
    assertThat(then.candidates())
        .filteredOn(c -> c.kind() == CandidateKind.REGRESSION_TEST)
        .singleElement()
        .satisfies(c -> assertThat(c.prompt()).contains("Fix crash in early"));
  }

  @Test
  void withNothingSpecificAndNoGoalsNothingIsWorthDoingTonight() {
    Path ws = folder("nothing");
    GitRepo.init(ws).commit(day(3), "docs", Map.of("README.md", "# hi\n", "setup.py", "x = 1\n"));

    DecisionContext ctx = gather(config(ws, 30, List.of()));
    DecisionExplanation e = new EvidenceDecisionEngine().explain(ctx);

    assertThat(e.decision()).isEmpty();
    assertThat(e.summary())
        .startsWith("nothing worth doing tonight: no candidate source found anything specific");
  }

  @Test
  void withNothingSpecificAGoalIsExploredAndTheReasonGiven() {
    Path ws = folder("explore");
    GitRepo.init(ws).commit(day(3), "docs", Map.of("README.md", "# hi\n"));

    DecisionContext ctx = gather(config(ws, 30, List.of("Make the CLI faster")));
    DecisionExplanation e = new EvidenceDecisionEngine().explain(ctx);

    assertThat(e.decision()).isPresent();
    assertThat(e.decision().get().title()).isEqualTo("Explore: Make the CLI faster");
    assertThat(e.decision().get().prompt()).contains("Nothing specific was found");
  }

  @Test
  void goalsBiasTheRankingAndFinishedWorkIsPassedOver() {
    Path ws = folder("rank");
    String big = java("app", "Engine", 30, 12);
    GitRepo.init(ws)
        .commit(
            day(20),
            "start",
            Map.of("src/main/java/app/Engine.java", big, "app/util_io.py", python("util_io", 6)))
        .commit(
            day(10),
            "more",
            Map.of(
                "src/main/java/app/Engine.java",
                big + "// a\n",
                "app/util_io.py",
                python("util_io", 7)))
        .commit(day(2), "more", Map.of("src/main/java/app/Engine.java", big + "// b\n"));
    DecisionContext plain = gather(config(ws, 30, List.of("simplify the code")));
    DecisionContext testsGoal = gather(config(ws, 30, List.of("raise test coverage")));
    EvidenceDecisionEngine engine = new EvidenceDecisionEngine();

    String first = engine.decide(plain).orElseThrow().title();
    String favoured = engine.decide(testsGoal).orElseThrow().title();
    assertThat(first).startsWith("Refactor Engine.java");
    assertThat(favoured).startsWith("Add tests for");
    assertThat(engine.decide(plain).orElseThrow().signals())
        .anyMatch(sig -> sig.name().equals("goal_kind") && sig.value().equals("simplify the code"));

    var taken = engine.decide(plain).orElseThrow().toTaskSpec().opHash();
    DecisionContext after =
        new DecisionContext(
            plain.config(),
            plain.fileActivity(),
            plain.sessions(),
            plain.agents(),
            plain.filesWithTests(),
            java.util.Set.of(taken),
            plain.now(),
            plain.asOf(),
            plain.candidates(),
            plain.exclusions(),
            plain.activityNote());
    DecisionExplanation next = engine.explain(after);
    assertThat(next.passedOver()).hasSize(1);
    assertThat(next.decision().orElseThrow().title()).isNotEqualTo(first);
  }

  @Test
  void finishedWorkIsLookedUpInTheQueueByOpHash() {
    Path ws = folder("lookup");
    String big = java("app", "Engine", 30, 12);
    GitRepo.init(ws)
        .commit(day(20), "start", Map.of("src/main/java/app/Engine.java", big))
        .commit(day(10), "more", Map.of("src/main/java/app/Engine.java", big + "// a\n"))
        .commit(
            day(2), "Fix crash in engine", Map.of("src/main/java/app/Engine.java", big + "//\n"));
    OrchestrationConfig cfg = config(ws, 30, List.of());
    dev.overnight.core.queue.InMemoryTaskQueue queue =
        dev.overnight.core.queue.InMemoryTaskQueue.builder(InstantSource.fixed(NOW)).build();
    EvidenceDecisionEngine engine = new EvidenceDecisionEngine();
    java.util.List<java.util.Collection<String>> asked = new java.util.ArrayList<>();
    java.util.function.Function<java.util.Collection<String>, java.util.Set<String>> lookup =
        hashes -> {
          asked.add(hashes);
          return queue.takenOpHashes(hashes);
        };

    var first = engine.decide(inputs(cfg).takenLookup(lookup).build().gather().context());
    queue.enqueue(first.orElseThrow().toTaskSpec());
    var second = engine.explain(inputs(cfg).takenLookup(lookup).build().gather().context());

    assertThat(second.passedOver())
        .singleElement()
        .satisfies(p -> assertThat(p.title()).isEqualTo(first.get().title()));
    assertThat(second.decision().orElseThrow().title()).isNotEqualTo(first.get().title());
    assertThat(asked.get(1)).contains(first.get().toTaskSpec().opHash());
  }

  static String goFuncs(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("func F").append(i).append("() int {\n\treturn ").append(i).append("\n}\n");
    }
    return b.toString();
  }
}
