package dev.overnight.api.decision;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A piece of work a {@link CandidateSource} found, with the evidence for it. The decision engine
 * ranks candidates; the prompt is what the agent receives, so it names the files and cites the
 * evidence, and holds nothing that changes from night to night (the same work must hash the same).
 *
 * @param source the name of the source that found it
 * @param kind what it asks for
 * @param files the files it is about, most important first (may be empty for exploration)
 * @param title one-line summary
 * @param prompt the instructions for the agent, citing the evidence
 * @param confidence how sure the source is that this is worth a night, 0–1
 * @param signals what weighed on the confidence
 * @param evidence the facts it rests on
 * @param pipeline the pipeline to run instead of one prompt, if the work is a known chore
 * @since 0.1.0
 */
public record Candidate(
    String source,
    CandidateKind kind,
    List<String> files,
    String title,
    String prompt,
    double confidence,
    List<Signal> signals,
    List<Evidence> evidence,
    Optional<PipelineProposal> pipeline) {
  /** Validates and copies the components. */
  public Candidate {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
    files = List.copyOf(files);
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(prompt, "prompt");
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be within 0..1, was " + confidence);
    }
    signals = List.copyOf(signals);
    evidence = List.copyOf(evidence);
    Objects.requireNonNull(pipeline, "pipeline");
  }

  /** A candidate whose work is one agent prompt. */
  public Candidate(
      String source,
      CandidateKind kind,
      List<String> files,
      String title,
      String prompt,
      double confidence,
      List<Signal> signals,
      List<Evidence> evidence) {
    this(source, kind, files, title, prompt, confidence, signals, evidence, Optional.empty());
  }
}
