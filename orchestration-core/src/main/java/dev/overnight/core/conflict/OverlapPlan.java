package dev.overnight.core.conflict;

import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.queue.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;

/**
 * Which of the upcoming pieces of work would wait for, or stack on, an earlier one because both are
 * predicted to touch the same files: what {@code overnight plan --explain} shows under the queue.
 * Work is taken in order (running tasks, then queued tasks, then the engine's proposals); each
 * piece is compared with every one before it, and the first it overlaps is named.
 *
 * @param overlap what a piece of work that overlaps does ({@code conflicts.overlap})
 * @param entries the pieces of work that would be held back, in order
 * @since 0.1.0
 */
public record OverlapPlan(ConflictSettings.Overlap overlap, List<Entry> entries) {

  /** Copies the entries. */
  public OverlapPlan {
    Objects.requireNonNull(overlap, "overlap");
    entries = List.copyOf(entries);
  }

  /**
   * One piece of work held back.
   *
   * @param work the work held back, e.g. {@code Test the cart [3f2a9c1e]}
   * @param after the work it waits for or stacks on
   * @param files the files both are predicted to touch
   * @since 0.1.0
   */
  public record Entry(String work, String after, List<String> files) {
    /** Copies the files. */
    public Entry {
      Objects.requireNonNull(work, "work");
      Objects.requireNonNull(after, "after");
      files = List.copyOf(files);
    }
  }

  /** The overlaps among {@code running}, then {@code queued}, then {@code proposed}, in order. */
  public static OverlapPlan of(
      OverlapPredictor predictor,
      ConflictSettings.Overlap overlap,
      List<Task> running,
      List<Task> queued,
      List<Decision> proposed) {
    List<Work> order = new ArrayList<>();
    running.forEach(t -> order.add(Work.of(t)));
    queued.forEach(t -> order.add(Work.of(t)));
    proposed.forEach(
        d -> order.add(new Work(d.title() + " [proposed]", d.toTaskSpec().metadata())));
    List<SortedSet<String>> predicted = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      SortedSet<String> mine = predictor.predict(OverlapPredictor.targets(order.get(i).metadata()));
      predicted.add(mine);
      for (int j = 0; j < i; j++) {
        List<String> shared = new ArrayList<>(predicted.get(j));
        shared.retainAll(mine);
        if (!shared.isEmpty()) {
          entries.add(new Entry(order.get(i).label(), order.get(j).label(), shared));
          break;
        }
      }
    }
    return new OverlapPlan(overlap, entries);
  }

  /** Whether no piece of work is held back. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * Lines for people, e.g. {@code Test the cart [3f2a9c1e] waits for Tidy the cart [1b2c3d4e]:
   * src/Cart.java, test/CartTest.java}; empty when nothing overlaps.
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    String verb = overlap == ConflictSettings.Overlap.STACK ? " stacks on " : " waits for ";
    for (Entry e : entries) {
      sb.append(e.work())
          .append(verb)
          .append(e.after())
          .append(": both touch ")
          .append(String.join(", ", e.files()))
          .append('\n');
    }
    return sb.toString();
  }

  private record Work(String label, Map<String, String> metadata) {
    static Work of(Task t) {
      return new Work(t.title() + " [" + t.id().shortId() + "]", t.metadata());
    }
  }
}
