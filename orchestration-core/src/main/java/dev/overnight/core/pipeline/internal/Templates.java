package dev.overnight.core.pipeline.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manifest's templates: {@code ${inputs.NAME}} and {@code ${steps.ID.KEY}}, nothing else, so a
 * template can never read the environment or a file. {@code $${} writes a literal {@code ${}.
 */
public final class Templates {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}");
  private static final Pattern INPUT = Pattern.compile("inputs\\.([a-z][a-z0-9_]*)");
  private static final Pattern STEP =
      Pattern.compile("steps\\.([a-z][a-z0-9_-]*)\\.([a-z][a-z0-9_]*)");

  private Templates() {}

  /** One reference in a template. */
  public sealed interface Reference {}

  /** {@code ${inputs.NAME}}. */
  public record InputRef(String name) implements Reference {}

  /** {@code ${steps.ID.KEY}}. */
  public record StepRef(String step, String key) implements Reference {}

  /** A reference that is neither: its text, for the problem. */
  public record Unknown(String text) implements Reference {}

  /** Every reference in {@code template}, in order. */
  public static List<Reference> references(String template) {
    List<Reference> refs = new ArrayList<>();
    Matcher m = REFERENCE.matcher(template);
    while (m.find()) {
      if (m.group(1) != null) {
        refs.add(parse(m.group(1).strip()));
      }
    }
    return refs;
  }

  /** Whether the template holds any reference. */
  public static boolean hasReference(String template) {
    return !references(template).isEmpty();
  }

  /**
   * {@code template} with every reference filled in: inputs from {@code inputs}, step outputs from
   * {@code steps} (an output not there reads as empty text).
   */
  public static String render(
      String template,
      Map<String, String> inputs,
      Function<String, Optional<Map<String, String>>> steps) {
    Matcher m = REFERENCE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value;
      if (m.group(1) == null) {
        value = "${";
      } else {
        Reference r = parse(m.group(1).strip());
        if (r instanceof InputRef i) {
          value = inputs.getOrDefault(i.name(), "");
        } else if (r instanceof StepRef s) {
          value = steps.apply(s.step()).map(o -> o.getOrDefault(s.key(), "")).orElse("");
        } else {
          value = m.group();
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Reference parse(String text) {
    Matcher i = INPUT.matcher(text);
    if (i.matches()) {
      return new InputRef(i.group(1));
    }
    Matcher s = STEP.matcher(text);
    if (s.matches()) {
      return new StepRef(s.group(1), s.group(2));
    }
    return new Unknown(text);
  }
}
