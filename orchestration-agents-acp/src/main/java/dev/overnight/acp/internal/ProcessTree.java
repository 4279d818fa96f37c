package dev.overnight.acp.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Ends a process and everything it started: the whole tree is listed first (so children that lose
 * their parent are still known), asked to stop ({@code SIGTERM}), given a grace period, then killed
 * ({@code SIGKILL}) — together with anything that appeared meanwhile.
 */
final class ProcessTree {
  private static final Duration FINAL_WAIT = Duration.ofSeconds(5);

  private ProcessTree() {}

  /** The process and its descendants alive now, root first. */
  static List<ProcessHandle> snapshot(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(root);
    root.descendants().forEach(all::add);
    return all;
  }

  /**
   * Stops the tree: {@code SIGTERM}, up to {@code grace} for it to exit, then {@code SIGKILL} for
   * what is left, and a bounded wait until the kernel confirms. Blocks at most {@code grace} plus a
   * few seconds.
   */
  static void kill(ProcessHandle root, Duration grace) {
    Set<ProcessHandle> tree = new LinkedHashSet<>(snapshot(root));
    if (!grace.isZero() && !grace.isNegative()) {
      // Children first, so a parent cannot restart them while it shuts down.
      List<ProcessHandle> reversed = new ArrayList<>(tree);
      java.util.Collections.reverse(reversed);
      reversed.forEach(ProcessHandle::destroy);
      await(tree, grace);
    }
    for (int round = 0; round < 3; round++) {
      if (root.isAlive()) {
        root.descendants().forEach(tree::add);
      }
      List<ProcessHandle> alive =
          tree.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
      if (alive.isEmpty()) {
        return;
      }
      alive.forEach(ProcessHandle::destroyForcibly);
      await(alive, FINAL_WAIT);
    }
  }

  private static void await(java.util.Collection<ProcessHandle> processes, Duration limit) {
    CompletableFuture<?>[] exits =
        processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Whatever is still alive is killed next.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
