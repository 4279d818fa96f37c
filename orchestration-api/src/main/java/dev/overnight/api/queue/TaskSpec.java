package dev.overnight.api.queue;

import dev.overnight.api.fleet.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A task to enqueue: what to do, who should do it, how urgent it is.
 *
 * <p>{@link #opHash()} identifies "the same work" for deduplication: by default the first 16 hex
 * digits of SHA-256 over {@code prompt + "|" + agentId}. While a task with the same hash is pending
 * or in progress, enqueueing again returns that task; once it has finished, the same work may be
 * queued again.
 *
 * <p>Every spec is checked here, whoever builds it (the command line, the decision engine, a
 * program using the SDK) and whichever queue receives it, so no queue ever stores a task people
 * cannot read or an agent cannot act on: the prompt is not blank and at most {@value
 * #MAX_PROMPT_LENGTH} characters; the title is one line of at most {@value #MAX_TITLE_LENGTH}
 * characters without control characters; an agent id is not blank, at most {@value
 * #MAX_AGENT_ID_LENGTH} characters and without control characters; {@linkplain
 * TaskFacts#REQUIRED_LABELS required labels} in the metadata are valid labels. {@link
 * #titleOf(String)} makes a valid title out of any text.
 *
 * @param title a one-line summary, used in branch names, reports and the dashboard
 * @param prompt the instructions sent to the agent
 * @param agentId the agent meant to do it; empty lets the coordinator choose
 * @param priority claim order
 * @param opHash the deduplication key
 * @param maxAttempts how many attempts before the task fails; empty uses the queue's default
 * @param metadata free-form facts (decision path, target file, config id)
 * @since 0.1.0
 */
public record TaskSpec(
    String title,
    String prompt,
    Optional<String> agentId,
    TaskPriority priority,
    String opHash,
    Optional<Integer> maxAttempts,
    Map<String, String> metadata) {

  /**
   * The longest prompt, in characters: generous for instructions, small enough that a page of tasks
   * stays a few megabytes at most wherever tasks are listed.
   */
  public static final int MAX_PROMPT_LENGTH = 65_536;

  /** The longest title, in characters. */
  public static final int MAX_TITLE_LENGTH = 200;

  /** The longest agent id, in characters. */
  public static final int MAX_AGENT_ID_LENGTH = 128;

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if the prompt, title or agent id breaks the rules above
   */
  public TaskSpec {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(agentId, "agentId");
    if (prompt.isBlank()) {
      throw new IllegalArgumentException("the prompt is empty: say what the agent should do");
    }
    if (prompt.length() > MAX_PROMPT_LENGTH) {
      throw new IllegalArgumentException(
          "the prompt has "
              + prompt.length()
              + " characters, more than the "
              + MAX_PROMPT_LENGTH
              + " a task may have");
    }
    requireOneLine("title", title, MAX_TITLE_LENGTH);
    agentId.ifPresent(id -> requireOneLine("agent id", id, MAX_AGENT_ID_LENGTH));
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(opHash, "opHash");
    Objects.requireNonNull(maxAttempts, "maxAttempts");
    maxAttempts.ifPresent(
        n -> {
          if (n < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + n);
          }
        });
    metadata = Map.copyOf(metadata);
    String required = metadata.get(TaskFacts.REQUIRED_LABELS.key());
    if (required != null && TaskFacts.REQUIRED_LABELS.from(metadata).isEmpty()) {
      // Read as "requires nothing", it would let any worker run a task meant for some.
      throw new IllegalArgumentException(
          "the required labels \""
              + required
              + "\" are not a comma-separated list of labels without spaces");
    }
  }

  /** Starts a spec for a prompt; the title defaults to its first line. */
  public static Builder builder(String prompt) {
    return new Builder(prompt);
  }

  /**
   * A valid title made from any text: its first line that is not blank, with control characters
   * turned into spaces, whole up to {@value #MAX_TITLE_LENGTH} characters, else cut between words
   * and ended with {@code …}; {@code "task"} when no such line is left. For titles made from what a
   * program found (file names, messages), which may hold anything.
   */
  public static String titleOf(String text) {
    String line =
        text.lines()
            .map(TaskSpec::withoutControls)
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .findFirst()
            .orElse("task");
    if (line.codePointCount(0, line.length()) <= MAX_TITLE_LENGTH) {
      return line;
    }
    int room = line.offsetByCodePoints(0, MAX_TITLE_LENGTH - 1);
    int space = line.lastIndexOf(' ', room);
    // One very long word (a path, a URL) is cut where it must be.
    int end = space > room / 2 ? space : room;
    return line.substring(0, end).stripTrailing() + "…";
  }

  private static String withoutControls(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> b.appendCodePoint(breaksLine(c) ? ' ' : c));
    return b.toString();
  }

  /** Control characters and the Unicode line and paragraph separators. */
  private static boolean breaksLine(int c) {
    return Character.isISOControl(c) || c == 0x2028 || c == 0x2029;
  }

  private static void requireOneLine(String what, String value, int maxLength) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("the " + what + " is empty");
    }
    int length = value.codePointCount(0, value.length());
    if (length > maxLength) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " has "
              + length
              + " characters, more than the "
              + maxLength
              + " it may have");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (breaksLine(c)) {
        throw new IllegalArgumentException(
            String.format(
                java.util.Locale.ROOT,
                "the %s must be one line of text, without line breaks or control characters"
                    + " (found U+%04X at position %d)",
                what,
                (int) c,
                i + 1));
      }
    }
  }

  /** The default deduplication key of a prompt for an agent. */
  public static String defaultOpHash(String prompt, Optional<String> agentId) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha.digest((prompt + "|" + agentId.orElse("")).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** Builds a {@link TaskSpec}. Not thread-safe. */
  public static final class Builder {
    private final String prompt;
    private String title;
    private Optional<String> agentId = Optional.empty();
    private TaskPriority priority = TaskPriority.MEDIUM;
    private String opHash;
    private Optional<Integer> maxAttempts = Optional.empty();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private Builder(String prompt) {
      this.prompt = Objects.requireNonNull(prompt, "prompt");
    }

    /**
     * Sets the title (default: {@link #titleOf} the prompt: its first line that is not blank, whole
     * up to {@value #MAX_TITLE_LENGTH} characters, else cut between words and ended with {@code
     * …}).
     */
    public Builder title(String value) {
      title = Objects.requireNonNull(value, "title");
      return this;
    }

    /** Sets the agent meant to do the task. */
    public Builder agentId(String value) {
      agentId = Optional.of(value);
      return this;
    }

    /** Sets the priority (default {@link TaskPriority#MEDIUM}). */
    public Builder priority(TaskPriority value) {
      priority = Objects.requireNonNull(value, "priority");
      return this;
    }

    /** Sets the deduplication key (default: {@link #defaultOpHash}). */
    public Builder opHash(String value) {
      opHash = Objects.requireNonNull(value, "opHash");
      return this;
    }

    /** Sets how many attempts the task gets. */
    public Builder maxAttempts(int value) {
      maxAttempts = Optional.of(value);
      return this;
    }

    /** Adds a metadata entry. */
    public Builder metadata(String key, String value) {
      metadata.put(key, value);
      return this;
    }

    /** Adds metadata entries. */
    public Builder metadata(Map<String, String> values) {
      metadata.putAll(values);
      return this;
    }

    /**
     * Sets the labels a worker must carry to claim the task ({@link TaskFacts#REQUIRED_LABELS});
     * none lets any worker claim it.
     *
     * @throws IllegalArgumentException if one is not a valid {@linkplain
     *     dev.overnight.api.fleet.Labels label}
     */
    public Builder requiredLabels(Collection<String> labels) {
      if (labels.isEmpty()) {
        metadata.remove(TaskFacts.REQUIRED_LABELS.key());
      } else {
        TaskFacts.REQUIRED_LABELS.put(metadata, Labels.of(labels));
      }
      return this;
    }

    /**
     * Builds the spec.
     *
     * @throws IllegalArgumentException if a component breaks the rules of {@link TaskSpec}
     */
    public TaskSpec build() {
      String t = title != null ? title : titleOf(prompt);
      String hash = opHash != null ? opHash : defaultOpHash(prompt, agentId);
      return new TaskSpec(t, prompt, agentId, priority, hash, maxAttempts, metadata);
    }
  }
}
