package dev.overnight.core.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the small Markdown subset the report uses (headings, paragraphs, bold, code spans, lists,
 * pipe tables, links, fenced code blocks) as HTML. Written by hand because the report is the only
 * Markdown Overnight renders and core may not take a Markdown library; everything is escaped first.
 */
final class MarkdownHtml {
  private static final Pattern LINK = Pattern.compile("(https?://[^\\s|<)]+)");

  private MarkdownHtml() {}

  static String render(String markdown) {
    StringBuilder html = new StringBuilder();
    List<String> lines = markdown.lines().toList();
    boolean inList = false;
    boolean inTable = false;
    boolean inCode = false;
    for (String line : lines) {
      if (inCode) {
        if (line.equals("```")) {
          html.append("</pre>\n");
          inCode = false;
        } else {
          html.append(MorningReport.escape(line)).append('\n');
        }
        continue;
      }
      if (inList && !line.startsWith("- ")) {
        html.append("</ul>\n");
        inList = false;
      }
      if (inTable && !line.startsWith("|")) {
        html.append("</table>\n");
        inTable = false;
      }
      if (line.equals("```")) {
        html.append("<pre>");
        inCode = true;
      } else if (line.startsWith("# ")) {
        html.append("<h1>").append(inline(line.substring(2))).append("</h1>\n");
      } else if (line.startsWith("## ")) {
        html.append("<h2>").append(inline(line.substring(3))).append("</h2>\n");
      } else if (line.startsWith("- ")) {
        if (!inList) {
          html.append("<ul>\n");
          inList = true;
        }
        html.append("<li>").append(inline(line.substring(2))).append("</li>\n");
      } else if (line.startsWith("|")) {
        if (line.startsWith("|---")) {
          continue;
        }
        String tag = inTable ? "td" : "th";
        if (!inTable) {
          html.append("<table>\n");
          inTable = true;
        }
        html.append("<tr>");
        for (String cell : line.substring(1, line.length() - 1).split("(?<!\\\\)\\|", -1)) {
          html.append('<')
              .append(tag)
              .append('>')
              .append(inline(cell.trim().replace("\\|", "|")))
              .append("</")
              .append(tag)
              .append('>');
        }
        html.append("</tr>\n");
      } else if (!line.isBlank()) {
        html.append("<p>").append(inline(line)).append("</p>\n");
      }
    }
    if (inList) {
      html.append("</ul>\n");
    }
    if (inTable) {
      html.append("</table>\n");
    }
    if (inCode) {
      html.append("</pre>\n");
    }
    return html.toString();
  }

  private static String inline(String text) {
    String s = MorningReport.escape(text);
    s = s.replaceAll("\\*\\*(.+?)\\*\\*", "<strong>$1</strong>");
    s = s.replaceAll("`([^`]+)`", "<code>$1</code>");
    Matcher m = LINK.matcher(s);
    return m.replaceAll("<a href=\"$1\">$1</a>");
  }
}
