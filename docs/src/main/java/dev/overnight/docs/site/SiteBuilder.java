package dev.overnight.docs.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders the README and the guides in {@code docs/} into the site beside the API's Javadoc, so
 * that one folder ({@code docs/target/site}) holds everything a user reads: {@code index.html} (the
 * README), one page per guide, and {@code apidocs/}.
 *
 * <p>Links between the Markdown files become links between the pages; a link to anything else in
 * the repository (a module's README, an example) points back at the repository through {@code
 * sourceBase}. Written with commonmark-java rather than a site generator: the guides are plain
 * GitHub Markdown, and a few dozen lines keep their links working in both places.
 */
public final class SiteBuilder {
  private static final List<Extension> EXTENSIONS =
      List.of(TablesExtension.create(), HeadingAnchorExtension.create());
  private static final Pattern MD_LINK = Pattern.compile("^([^#?]*\\.md)(#.*)?$");

  private final Path root;
  private final Path site;
  private final String sourceBase;

  /**
   * A builder of the site for a repository.
   *
   * @param root the repository's root (holds README.md and docs/)
   * @param site where the pages go (the Javadoc is expected in its {@code apidocs/})
   * @param sourceBase what links to other repository files start with, e.g. a URL of the repository
   *     at this version, or a relative path back to the root
   */
  public SiteBuilder(Path root, Path site, String sourceBase) {
    this.root = root.toAbsolutePath().normalize();
    this.site = site.toAbsolutePath().normalize();
    this.sourceBase = sourceBase.endsWith("/") ? sourceBase : sourceBase + "/";
  }

  /** Writes every page; returns the pages written, relative to the site. */
  public List<Path> build() throws IOException {
    Files.createDirectories(site);
    List<Path> written = new ArrayList<>();
    written.add(render(root.resolve("README.md"), "index.html"));
    try (Stream<Path> guides = Files.list(root.resolve("docs"))) {
      for (Path guide : guides.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        written.add(render(guide, pageName(guide.getFileName().toString())));
      }
    }
    return written;
  }

  private Path render(Path markdown, String page) throws IOException {
    Path folder = root.relativize(markdown.toAbsolutePath().normalize().getParent());
    Node document =
        Parser.builder().extensions(EXTENSIONS).build().parse(Files.readString(markdown));
    String title = title(document).orElse(page);
    HtmlRenderer renderer =
        HtmlRenderer.builder()
            .extensions(EXTENSIONS)
            .attributeProviderFactory(context -> linkRewriter(folder))
            .build();
    String html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
            + escape(title)
            + " — Overnight</title>\n<style>body{max-width:50rem;margin:2rem auto;padding:0 1rem;"
            + "font-family:system-ui,sans-serif;line-height:1.5}pre{background:#f4f4f4;padding:.75rem;"
            + "overflow-x:auto}code{font-size:.9em}table{border-collapse:collapse}td,th{border:1px solid"
            + " #ccc;padding:.25rem .5rem}nav{margin-bottom:1rem}</style>\n</head>\n<body>\n<nav>"
            + "<a href=\"index.html\">Overnight</a> · <a href=\"apidocs/index.html\">API"
            + " (Javadoc)</a></nav>\n"
            + renderer.render(document)
            + "</body>\n</html>\n";
    Path out = site.resolve(page);
    Files.writeString(out, html, StandardCharsets.UTF_8);
    return site.relativize(out);
  }

  private AttributeProvider linkRewriter(Path folder) {
    return (node, tagName, attributes) -> {
      if (node instanceof Link) {
        attributes.put("href", rewrite(folder, attributes.get("href")));
      }
    };
  }

  /**
   * Where a link in a Markdown file of {@code folder} (relative to the root) points on the site.
   */
  String rewrite(Path folder, String href) {
    if (href == null
        || href.startsWith("#")
        || href.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")
        || href.startsWith("/")) {
      return href;
    }
    Matcher md = MD_LINK.matcher(href);
    String path = md.matches() ? md.group(1) : href.replaceAll("[#?].*$", "");
    String rest = md.matches() && md.group(2) != null ? md.group(2) : href.substring(path.length());
    Path target = folder.resolve(path).normalize();
    if (target.toString().equals("README.md")) {
      return "index.html" + rest;
    }
    if (target.getParent() != null
        && target.getParent().toString().equals("docs")
        && target.toString().endsWith(".md")) {
      return pageName(target.getFileName().toString()) + rest;
    }
    return sourceBase + target.toString().replace('\\', '/') + rest;
  }

  private static String pageName(String markdownFile) {
    return markdownFile.substring(0, markdownFile.length() - ".md".length()) + ".html";
  }

  private static java.util.Optional<String> title(Node document) {
    for (Node n = document.getFirstChild(); n != null; n = n.getNext()) {
      if (n instanceof Heading h && h.getLevel() == 1 && h.getFirstChild() instanceof Text t) {
        return java.util.Optional.of(t.getLiteral());
      }
    }
    return java.util.Optional.empty();
  }

  private static String escape(String text) {
    StringBuilder b = new StringBuilder();
    Map<Character, String> entities = Map.of('<', "&lt;", '>', "&gt;", '&', "&amp;", '"', "&quot;");
    for (char c : text.toCharArray()) {
      b.append(entities.getOrDefault(c, String.valueOf(c)));
    }
    return b.toString();
  }

  /**
   * Builds the site: {@code SiteBuilder ROOT SITE SOURCE_BASE}.
   *
   * @param args the repository root, the site folder, and what links to other repository files
   *     start with
   */
  public static void main(String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: SiteBuilder ROOT SITE SOURCE_BASE");
    }
    try {
      List<Path> pages = new SiteBuilder(Path.of(args[0]), Path.of(args[1]), args[2]).build();
      System.out.println("Site: " + pages.size() + " pages in " + args[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
