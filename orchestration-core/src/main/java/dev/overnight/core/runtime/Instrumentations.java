package dev.overnight.core.runtime;

import dev.overnight.api.Subscription;
import dev.overnight.core.spi.Discovery;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@linkplain RuntimeInstrumentation instrumentations} a runtime gets, and their attaching:
 * one that fails is left out, and the runtime runs without it.
 *
 * <p>Stateless; called on the thread that builds the runtime.
 */
final class Instrumentations {
  private static final Logger LOG = LoggerFactory.getLogger(Instrumentations.class);

  private Instrumentations() {}

  /** The given instrumentations, then each discovered one whose name none of them has. */
  static List<RuntimeInstrumentation> choose(
      List<RuntimeInstrumentation> given, Discovery discovery) {
    List<RuntimeInstrumentation> chosen = new ArrayList<>(given);
    Set<String> names = new HashSet<>();
    given.forEach(i -> names.add(i.name()));
    for (RuntimeInstrumentation found : discovery.extensions(RuntimeInstrumentation.class)) {
      String name;
      try {
        name = found.name();
      } catch (RuntimeException e) {
        LOG.warn(
            "Leaving out the instrumentation {}: {}", found.getClass().getName(), e.toString());
        continue;
      }
      if (names.add(name)) {
        chosen.add(found);
      }
    }
    return chosen;
  }

  /**
   * Attaches each of {@code candidates} to {@code runtime}, their subscriptions onto {@code owned}.
   *
   * @return those attached
   */
  static List<RuntimeInstrumentation> attach(
      OvernightRuntime runtime,
      List<RuntimeInstrumentation> candidates,
      Deque<AutoCloseable> owned) {
    List<RuntimeInstrumentation> attached = new ArrayList<>();
    for (RuntimeInstrumentation i : candidates) {
      try {
        Subscription s = Objects.requireNonNull(i.attach(runtime), "attach returned null");
        owned.push(s);
        attached.add(i);
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("Overnight runs without the instrumentation {}: {}", i.name(), e.toString(), e);
      }
    }
    return List.copyOf(attached);
  }
}
