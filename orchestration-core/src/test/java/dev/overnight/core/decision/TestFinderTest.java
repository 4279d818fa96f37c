package dev.overnight.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestFinderTest {
  @TempDir Path ws;

  void touch(String... paths) throws IOException {
    for (String p : paths) {
      Path f = ws.resolve(p);
      Files.createDirectories(f.getParent());
      Files.writeString(f, "");
    }
  }

  @Test
  void javaSourcesAreTestedUnderSrcTest() throws IOException {
    touch(
        "src/main/java/app/Parser.java",
        "src/test/java/app/ParserTest.java",
        "core/src/main/java/app/Lexer.java",
        "core/src/test/java/app/LexerTests.java",
        "core/src/main/java/app/Store.java",
        "core/src/test/java/app/StoreIT.java",
        "core/src/main/java/app/Untested.java",
        "src/main/kotlin/app/Thing.kt",
        "src/test/kotlin/app/ThingTest.kt",
        "Loose.java",
        "LooseTest.java");
    TestFinder finder = new TestFinder(ws);
    assertThat(
            finder.filesWithTests(
                List.of(
                    "src/main/java/app/Parser.java",
                    "core/src/main/java/app/Lexer.java",
                    "core/src/main/java/app/Store.java",
                    "core/src/main/java/app/Untested.java",
                    "src/main/kotlin/app/Thing.kt",
                    "Loose.java")))
        .containsExactly(
            "src/main/java/app/Parser.java",
            "core/src/main/java/app/Lexer.java",
            "core/src/main/java/app/Store.java",
            "src/main/kotlin/app/Thing.kt",
            "Loose.java");
  }

  @Test
  void javaScriptAndTypeScriptConventions() throws IOException {
    touch(
        "web/a.ts",
        "web/a.test.ts",
        "web/b.tsx",
        "web/b.spec.tsx",
        "web/c.js",
        "web/__tests__/c.js",
        "src/lib/d.mjs",
        "test/lib/d.test.mjs",
        "web/e.ts");
    TestFinder finder = new TestFinder(ws);
    assertThat(finder.hasTests("web/a.ts")).isTrue();
    assertThat(finder.hasTests("web/b.tsx")).isTrue();
    assertThat(finder.hasTests("web/c.js")).isTrue();
    assertThat(finder.hasTests("src/lib/d.mjs")).isTrue();
    assertThat(finder.hasTests("web/e.ts")).isFalse();
  }

  @Test
  void pythonConventions() throws IOException {
    touch(
        "pkg/a.py",
        "pkg/test_a.py",
        "pkg/b.py",
        "pkg/b_test.py",
        "pkg/c.py",
        "pkg/tests/test_c.py",
        "src/pkg/d.py",
        "tests/pkg/test_d.py",
        "pkg/sub/e.py",
        "pkg/tests/test_e.py",
        "pkg/f.py");
    TestFinder finder = new TestFinder(ws);
    assertThat(
            finder.filesWithTests(
                List.of(
                    "pkg/a.py",
                    "pkg/b.py",
                    "pkg/c.py",
                    "src/pkg/d.py",
                    "pkg/sub/e.py",
                    "pkg/f.py")))
        .containsExactly("pkg/a.py", "pkg/b.py", "pkg/c.py", "src/pkg/d.py", "pkg/sub/e.py");
  }

  @Test
  void goConvention() throws IOException {
    touch("cmd/run.go", "cmd/run_test.go", "cmd/other.go");
    TestFinder finder = new TestFinder(ws);
    assertThat(finder.hasTests("cmd/run.go")).isTrue();
    assertThat(finder.hasTests("cmd/other.go")).isFalse();
  }

  @Test
  void otherLanguagesAndTestsThemselvesAreSkipped() throws IOException {
    touch("src/lib.rs", "tests/lib.rs", "README.md");
    TestFinder finder = new TestFinder(ws);
    assertThat(TestFinder.candidates("src/lib.rs")).isEmpty();
    assertThat(TestFinder.candidates("README.md")).isEmpty();
    assertThat(TestFinder.candidates("src/test/java/app/ParserTest.java")).isEmpty();
    assertThat(TestFinder.candidates("pkg/test_a.py")).isEmpty();
    assertThat(finder.filesWithTests(List.of("src/lib.rs", "README.md"))).isEmpty();
  }

  @Test
  void aFolderNamedLikeATestFileIsNotATest() throws IOException {
    touch("src/main/java/app/Parser.java");
    Files.createDirectories(ws.resolve("src/test/java/app/ParserTest.java"));
    assertThat(new TestFinder(ws).hasTests("src/main/java/app/Parser.java")).isFalse();
  }
}
