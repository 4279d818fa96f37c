package dev.overnight.api.queue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * @param title a one-line summary, used in branch names, reports and the dashboard
 * @param prompt the instructions sent to the agent
 * @param agentId the agent meant to do it; empty lets the coordinator choose
 * @param priority claim order
 * @param opHash the deduplication key
 * @param maxAttempts how many attempts before the task fails; empty uses the queue's default
 * @param metadata free-form facts (decision path, target file, config id)
 */
public record TaskSpec(
    String title,
    String prompt,
    Optional<String> agentId,
    TaskPriority priority,
    String opHash,
    Optional<Integer> maxAttempts,
    Map<String, String> metadata) {

  /** Validates and copies the components. */
  public TaskSpec {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(agentId, "agentId");
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
  }

  /**
   * The longest title taken from a prompt's first line: longer lines are cut between words. A title
   * set explicitly is kept as given.
   */
  public static final int MAX_DEFAULT_TITLE = 200;

  /** Starts a spec for a prompt; the title defaults to its first line. */
  public static Builder builder(String prompt) {
    return new Builder(prompt);
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

  /** A prompt's first line as a title; a line too long is cut after a word, with an ellipsis. */
  private static String defaultTitle(String firstLine) {
    if (firstLine.length() <= MAX_DEFAULT_TITLE) {
      return firstLine;
    }
    int room = MAX_DEFAULT_TITLE - 1;
    int space = firstLine.lastIndexOf(' ', room);
    // One very long word (a path, a URL) is cut where it must be.
    int end = space > room / 2 ? space : room;
    return firstLine.substring(0, end).stripTrailing() + "…";
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
     * Sets the title (default: the prompt's first line, whole up to {@value #MAX_DEFAULT_TITLE}
     * characters, else cut between words and ended with {@code …}).
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

    /** Builds the spec. */
    public TaskSpec build() {
      String t = title;
      if (t == null) {
        t = defaultTitle(prompt.strip().lines().findFirst().orElse("task"));
      }
      String hash = opHash != null ? opHash : defaultOpHash(prompt, agentId);
      return new TaskSpec(t, prompt, agentId, priority, hash, maxAttempts, metadata);
    }
  }
}
