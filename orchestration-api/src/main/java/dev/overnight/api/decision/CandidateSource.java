package dev.overnight.api.decision;

import java.util.List;

/**
 * Finds candidate work in a repository from one kind of evidence: missing tests, bug fixes without
 * a regression test, fresh TODOs, large and hot files, a checker's findings. Created by a {@link
 * CandidateSourceProvider}; the decision engine ranks what all sources found.
 *
 * <p>Reads the repository only through the {@link RepositorySnapshot} it is given, so that {@code
 * plan --as-of} sees the repository as it was then. Must not write anything. May block on the
 * snapshot's reads; should degrade to fewer candidates rather than throw (a source that throws is
 * reported and skipped). Thread-safe.
 *
 * @since 0.1.0
 */
public interface CandidateSource {

  /** The source's name, e.g. {@code tests}; the same as its provider's. */
  String name();

  /** What this source proposes for {@code repository}, in no particular order. */
  List<Candidate> candidates(RepositorySnapshot repository);
}
