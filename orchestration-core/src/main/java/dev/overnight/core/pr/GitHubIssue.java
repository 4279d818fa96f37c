package dev.overnight.core.pr;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One GitHub issue as Overnight reads it: enough to make a task of it and to find it again.
 *
 * @param id GitHub's id of the issue, which never changes (its number could, on a transfer)
 * @param number the issue's number in its repository, as {@code #N} names it
 * @param title the title
 * @param body the body, empty when it has none
 * @param link the issue's page
 * @param labels the names of its labels
 * @param open whether it is open
 * @since 0.1.0
 */
public record GitHubIssue(
    long id, long number, String title, String body, URI link, List<String> labels, boolean open) {

  /** Validates and copies the components. */
  public GitHubIssue {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(link, "link");
    labels = List.copyOf(labels);
  }

  /** Whether it carries {@code label}. */
  public boolean labelled(String label) {
    return labels.contains(label);
  }
}
