package dev.overnight.core.decision.internal;

import java.util.Locale;
import java.util.Set;

/**
 * What a workspace path is, judged from its name only: source code or not, a test or not, and
 * whether Overnight knows where its tests would live. No I/O.
 */
public final class SourceFiles {
  /** Languages whose test locations {@code TestFinder} knows. */
  public enum Convention {
    /**
     * Java, Kotlin, Scala, Groovy: {@code src/main/<lang>/X} is tested by {@code
     * src/test/<lang>/XTest}.
     */
    JVM,
    /** JavaScript and TypeScript: {@code x.test.ts}, {@code x.spec.ts}, {@code __tests__/}. */
    JS,
    /** Python: {@code test_x.py}, {@code x_test.py}, {@code tests/}. */
    PYTHON,
    /** Go: {@code x_test.go} beside {@code x.go}. */
    GO,
    /**
     * Source code whose test layout is not known (Rust's tests live inside the file, C has none).
     */
    NONE
  }

  private static final Set<String> JVM = Set.of("java", "kt", "kts", "scala", "groovy");
  private static final Set<String> JS =
      Set.of("js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts");
  private static final Set<String> OTHER_CODE =
      Set.of(
          "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "cs", "fs", "swift", "m", "mm", "rb",
          "php", "pl", "pm", "lua", "dart", "ex", "exs", "erl", "clj", "cljs", "hs", "ml", "zig",
          "nim", "jl", "r", "vue", "svelte", "sh", "bash", "sql", "proto");

  private SourceFiles() {}

  /** The file name's extension, lower case, without the dot; empty if none. */
  public static String extension(String path) {
    String name = fileName(path);
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** The last segment of a {@code /}-separated path. */
  public static String fileName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /** The test convention of a source file, or empty when the path is not source code. */
  public static java.util.Optional<Convention> convention(String path) {
    String ext = extension(path);
    if (JVM.contains(ext)) {
      return java.util.Optional.of(Convention.JVM);
    }
    if (JS.contains(ext) && !fileName(path).endsWith(".d.ts")) {
      return java.util.Optional.of(Convention.JS);
    }
    if (ext.equals("py")) {
      return java.util.Optional.of(Convention.PYTHON);
    }
    if (ext.equals("go")) {
      return java.util.Optional.of(Convention.GO);
    }
    if (OTHER_CODE.contains(ext)) {
      return java.util.Optional.of(Convention.NONE);
    }
    return java.util.Optional.empty();
  }

  /** Whether the path is source code (any language Overnight recognises). */
  public static boolean isSource(String path) {
    return convention(path).isPresent();
  }

  /** Whether the path is itself a test, by the usual naming and folder conventions. */
  public static boolean isTest(String path) {
    String p = "/" + path;
    if (p.contains("/src/test/")
        || p.contains("/__tests__/")
        || p.contains("/tests/")
        || p.contains("/test/")
        || p.contains("/testdata/")
        || p.contains("/spec/")) {
      return true;
    }
    String name = fileName(path);
    String ext = extension(path);
    String base = ext.isEmpty() ? name : name.substring(0, name.length() - ext.length() - 1);
    if (JVM.contains(ext)) {
      return base.endsWith("Test")
          || base.endsWith("Tests")
          || base.endsWith("IT")
          || base.endsWith("TestCase")
          || base.endsWith("Spec");
    }
    if (JS.contains(ext)) {
      return base.endsWith(".test") || base.endsWith(".spec");
    }
    if (ext.equals("py")) {
      return base.startsWith("test_") || base.endsWith("_test") || base.equals("conftest");
    }
    if (ext.equals("go")) {
      return base.endsWith("_test");
    }
    return false;
  }

  /**
   * Whether a tests task makes sense for the file: source code, not a test itself, in a language
   * whose test locations are known, and not a file that holds no logic of its own.
   */
  public static boolean isTestable(String path) {
    java.util.Optional<Convention> c = convention(path);
    if (c.isEmpty() || c.get() == Convention.NONE || isTest(path)) {
      return false;
    }
    String name = fileName(path);
    return !name.equals("__init__.py")
        && !name.equals("package-info.java")
        && !name.equals("module-info.java")
        && !name.endsWith(".config.js")
        && !name.endsWith(".config.ts");
  }
}
