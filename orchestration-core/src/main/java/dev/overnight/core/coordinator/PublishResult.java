package dev.overnight.core.coordinator;

import java.util.Optional;

/**
 * What happened to a finished task's branch.
 *
 * @param branch the task's branch
 * @param commits commits on the branch beyond its base
 * @param head the branch's head commit
 * @param pushed whether the branch was pushed
 * @param pushNote why it was not pushed, or the rejection, when not
 * @param prUrl the pull request, when one was opened
 * @param prNote why no pull request was opened, when none was
 * @since 0.1.0
 */
public record PublishResult(
    String branch,
    int commits,
    String head,
    boolean pushed,
    Optional<String> pushNote,
    Optional<String> prUrl,
    Optional<String> prNote) {}
