package dev.overnight.core.decision.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage reports a workspace holds, read into per-file line coverage and uncovered methods:
 * JaCoCo XML, Cobertura XML (coverage.py writes it too), lcov and Go cover profiles. XML is read by
 * a small tag scanner: no DTD or entity is ever resolved or fetched. Reads files only; thread-safe.
 */
public final class CoverageReports {
  private static final Set<String> SKIP_DIRS =
      Set.of(".git", "node_modules", "vendor", ".venv", "venv", ".tox", "third_party");
  private static final int MAX_DEPTH = 6;

  private final Map<String, FileCoverage> byPath;
  private final List<Path> reports;

  private CoverageReports(Map<String, FileCoverage> byPath, List<Path> reports) {
    this.byPath = byPath;
    this.reports = List.copyOf(reports);
  }

  /**
   * One source file's coverage.
   *
   * @param reportPath the file as the report names it
   * @param covered lines run by the tests
   * @param missed lines never run
   * @param uncoveredMethods methods no test ran, as {@code name (line N)}
   * @param uncoveredLines lines never run, in order
   */
  public record FileCoverage(
      String reportPath,
      int covered,
      int missed,
      List<String> uncoveredMethods,
      List<Integer> uncoveredLines) {
    /** Covered lines over all lines, 0–1. */
    public double ratio() {
      int all = covered + missed;
      return all == 0 ? 1 : (double) covered / all;
    }
  }

  /** The reports found in {@code workspace}; none is an empty result. */
  public static CoverageReports find(Path workspace) {
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(
          workspace,
          Set.of(),
          MAX_DEPTH,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              Path name = dir.getFileName();
              return name != null && !dir.equals(workspace) && SKIP_DIRS.contains(name.toString())
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() && isReport(file.getFileName().toString())) {
                found.add(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // No reports readable: no coverage evidence.
    }
    Map<String, FileCoverage> all = new TreeMap<>();
    for (Path p : found) {
      try {
        if (Files.size(p) > 256L * 1024 * 1024) {
          continue;
        }
        String text = Files.readString(p);
        String name = p.getFileName().toString();
        if (name.endsWith(".xml")) {
          all.putAll(xml(text));
        } else if (name.endsWith(".info")) {
          all.putAll(lcov(text));
        } else {
          all.putAll(goProfile(text));
        }
      } catch (IOException | RuntimeException e) {
        // An unreadable or malformed report gives no evidence.
      }
    }
    return new CoverageReports(all, found);
  }

  static boolean isReport(String name) {
    return name.equals("jacoco.xml")
        || name.equals("coverage.xml")
        || name.startsWith("cobertura") && name.endsWith(".xml")
        || name.equals("lcov.info")
        || name.equals("coverage.out")
        || name.equals("cover.out")
        || name.endsWith(".coverprofile");
  }

  /** The report files read. */
  public List<Path> reports() {
    return reports;
  }

  /** Whether any report had data. */
  public boolean isEmpty() {
    return byPath.isEmpty();
  }

  /** The coverage of a workspace-relative file, matched by the longest common path suffix. */
  public Optional<FileCoverage> of(String path) {
    FileCoverage exact = byPath.get(path);
    if (exact != null) {
      return Optional.of(exact);
    }
    FileCoverage best = null;
    int bestLen = 0;
    for (Map.Entry<String, FileCoverage> e : byPath.entrySet()) {
      String k = e.getKey();
      int len = commonSuffixSegments(k, path);
      String name = SourceFiles.fileName(path);
      if (len > bestLen && SourceFiles.fileName(k).equals(name)) {
        best = e.getValue();
        bestLen = len;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int commonSuffixSegments(String a, String b) {
    String[] x = a.split("/");
    String[] y = b.split("/");
    int n = 0;
    while (n < x.length && n < y.length && x[x.length - 1 - n].equals(y[y.length - 1 - n])) {
      n++;
    }
    return n;
  }

  // ------------------------------------------------------------------------------ parsers

  /** An XML start tag ({@code end} false) or end tag, with its attributes. */
  private record Tag(String name, boolean end, Map<String, String> attributes) {
    String attr(String key) {
      return attributes.getOrDefault(key, "");
    }
  }

  private static final Pattern TAG = Pattern.compile("<(/?)([A-Za-z_][\\w:.-]*)([^<>]*?)(/?)>");
  private static final Pattern ATTRIBUTE =
      Pattern.compile("([A-Za-z_][\\w:.-]*)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");

  /**
   * The tags of an XML document in order; a self-closing tag gives a start and an end. Comments,
   * declarations and DTDs are not tags, and nothing is ever fetched. Enough for the flat, generated
   * XML of coverage tools; a document cut short gives the tags before the cut.
   */
  private static List<Tag> tags(String text) {
    String body = text.replaceAll("(?s)<!--.*?-->", "");
    List<Tag> tags = new ArrayList<>();
    Matcher m = TAG.matcher(body);
    while (m.find()) {
      String name = m.group(2);
      if (m.group(1).equals("/")) {
        tags.add(new Tag(name, true, Map.of()));
        continue;
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      Matcher a = ATTRIBUTE.matcher(m.group(3));
      while (a.find()) {
        attributes.put(a.group(1), unescape(a.group(2) != null ? a.group(2) : a.group(3)));
      }
      tags.add(new Tag(name, false, attributes));
      if (m.group(4).equals("/")) {
        tags.add(new Tag(name, true, Map.of()));
      }
    }
    return tags;
  }

  private static String unescape(String v) {
    return v.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
  }

  static Map<String, FileCoverage> xml(String text) {
    Map<String, FileCoverage> out = new LinkedHashMap<>();
    try {
      // JaCoCo: package/class/method(counter LINE) and package/sourcefile/line(nr, mi, ci).
      // Cobertura: class(filename)/methods/method(name, line hits)/lines/line(number, hits).
      String pkg = "";
      String file = null;
      String method = null;
      int methodLine = 0;
      boolean methodCovered = false;
      Map<String, List<String>> uncoveredMethods = new LinkedHashMap<>();
      Map<String, Map<Integer, Boolean>> lines = new LinkedHashMap<>();
      String jacocoClass = null;
      boolean inMethods = false;
      for (Tag t : tags(text)) {
        if (!t.end()) {
          switch (t.name()) {
            case "package" -> pkg = t.attr("name");
            case "class" -> {
              String filename = t.attr("filename");
              if (!filename.isEmpty()) {
                file = filename; // Cobertura
              } else {
                jacocoClass = t.attr("name");
                file = (pkg.isEmpty() ? "" : pkg + "/") + t.attr("sourcefilename");
              }
            }
            case "methods" -> inMethods = true;
            case "method" -> {
              method = t.attr("name");
              String line = t.attr("line");
              methodLine = line.isEmpty() ? 0 : Integer.parseInt(line);
              methodCovered = false;
            }
            case "counter" -> {
              if (method != null && t.attr("type").equals("LINE")) {
                methodCovered = !t.attr("covered").equals("0");
                if (file != null && !methodCovered && !method.equals("<clinit>")) {
                  uncoveredMethods
                      .computeIfAbsent(file, k -> new ArrayList<>())
                      .add(display(method, jacocoClass) + " (line " + methodLine + ")");
                }
                method = null; // counted
              }
            }
            case "sourcefile" -> file = (pkg.isEmpty() ? "" : pkg + "/") + t.attr("name");
            case "line" -> {
              if (file == null) {
                break;
              }
              String nr = t.attr("nr");
              if (!nr.isEmpty()) { // JaCoCo
                int ci = Integer.parseInt(t.attr("ci"));
                lines.computeIfAbsent(file, k -> new TreeMap<>()).put(Integer.parseInt(nr), ci > 0);
              } else {
                int number = Integer.parseInt(t.attr("number"));
                boolean hit = !t.attr("hits").equals("0");
                if (method != null && inMethods) {
                  methodCovered |= hit;
                  if (methodLine == 0) {
                    methodLine = number;
                  }
                } else {
                  lines
                      .computeIfAbsent(file, k -> new TreeMap<>())
                      .merge(number, hit, Boolean::logicalOr);
                }
              }
            }
            default -> {}
          }
        } else if (t.name().equals("method") && method != null) {
          if (!methodCovered && file != null) {
            uncoveredMethods
                .computeIfAbsent(file, k -> new ArrayList<>())
                .add(method + " (line " + methodLine + ")");
          }
          method = null;
        } else if (t.name().equals("methods")) {
          inMethods = false;
        } else if (t.name().equals("class")) {
          jacocoClass = null;
        }
      }
      for (Map.Entry<String, Map<Integer, Boolean>> e : lines.entrySet()) {
        out.put(e.getKey(), coverage(e.getKey(), e.getValue(), uncoveredMethods.get(e.getKey())));
      }
    } catch (NumberFormatException e) {
      // A malformed report gives no evidence.
      return Map.of();
    }
    return out;
  }

  private static String display(String method, String jacocoClass) {
    if (method.equals("<init>") && jacocoClass != null) {
      return SourceFiles.fileName(jacocoClass) + " constructor";
    }
    return method;
  }

  static Map<String, FileCoverage> lcov(String text) {
    Map<String, FileCoverage> out = new LinkedHashMap<>();
    String file = null;
    Map<Integer, Boolean> lines = new TreeMap<>();
    Map<String, Integer> fnLine = new LinkedHashMap<>();
    List<String> uncovered = new ArrayList<>();
    for (String l : text.split("\n")) {
      l = l.strip();
      if (l.startsWith("SF:")) {
        file = l.substring(3);
        lines = new TreeMap<>();
        fnLine = new LinkedHashMap<>();
        uncovered = new ArrayList<>();
      } else if (l.startsWith("FN:")) {
        String[] p = l.substring(3).split(",", 2);
        if (p.length == 2) {
          fnLine.put(p[1], parse(p[0]));
        }
      } else if (l.startsWith("FNDA:")) {
        String[] p = l.substring(5).split(",", 2);
        if (p.length == 2 && p[0].equals("0")) {
          uncovered.add(p[1] + " (line " + fnLine.getOrDefault(p[1], 0) + ")");
        }
      } else if (l.startsWith("DA:")) {
        String[] p = l.substring(3).split(",");
        if (p.length >= 2) {
          lines.merge(parse(p[0]), !p[1].equals("0"), Boolean::logicalOr);
        }
      } else if (l.equals("end_of_record") && file != null) {
        out.put(file, coverage(file, lines, uncovered));
        file = null;
      }
    }
    return out;
  }

  static Map<String, FileCoverage> goProfile(String text) {
    Map<String, Map<Integer, Boolean>> lines = new LinkedHashMap<>();
    for (String l : text.split("\n")) {
      // name.go:startLine.startCol,endLine.endCol numStatements count
      int colon = l.lastIndexOf(".go:");
      if (colon < 0) {
        continue;
      }
      String file = l.substring(0, colon + 3);
      String[] rest = l.substring(colon + 4).split("[ ,]");
      if (rest.length < 4) {
        continue;
      }
      int from = parse(rest[0].split("\\.")[0]);
      int to = parse(rest[1].split("\\.")[0]);
      boolean hit = !rest[3].strip().equals("0");
      Map<Integer, Boolean> m = lines.computeIfAbsent(file, k -> new TreeMap<>());
      for (int i = from; i <= to && i - from < 10_000; i++) {
        m.merge(i, hit, Boolean::logicalOr);
      }
    }
    Map<String, FileCoverage> out = new LinkedHashMap<>();
    lines.forEach((f, m) -> out.put(f, coverage(f, m, List.of())));
    return out;
  }

  private static FileCoverage coverage(
      String file, Map<Integer, Boolean> lines, List<String> uncoveredMethods) {
    int covered = 0;
    List<Integer> missed = new ArrayList<>();
    for (Map.Entry<Integer, Boolean> e : new TreeMap<>(lines).entrySet()) {
      if (e.getValue()) {
        covered++;
      } else {
        missed.add(e.getKey());
      }
    }
    List<String> methods =
        uncoveredMethods == null ? List.of() : List.copyOf(new TreeSet<>(uncoveredMethods));
    return new FileCoverage(file, covered, missed.size(), methods, missed);
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
