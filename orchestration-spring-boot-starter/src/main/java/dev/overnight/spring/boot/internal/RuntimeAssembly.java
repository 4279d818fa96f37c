package dev.overnight.spring.boot.internal;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.schedule.SchedulerListener;
import dev.overnight.api.store.Store;
import dev.overnight.core.coordinator.CoordinatorListener;
import dev.overnight.core.coordinator.PullRequestPublisher;
import dev.overnight.core.hub.HubSubscriber;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.RuntimeInstrumentation;
import dev.overnight.spring.boot.OvernightProperties;
import dev.overnight.spring.boot.OvernightRuntimeCustomizer;
import java.util.Optional;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Assembles the runtime from the application's beans: each bean of an Overnight SPI type is given
 * to the builder explicitly, so it wins over what {@link java.util.ServiceLoader} finds (an agent
 * over a discovered one with its id, a checker over one of its name); then the store, if the
 * application's DataSource gives one; then the customizers.
 *
 * <p>Called once, on the thread that creates the runtime bean.
 */
public final class RuntimeAssembly {
  private RuntimeAssembly() {}

  /** Builds the runtime of {@code config} with every SPI bean in {@code beans}. */
  public static OvernightRuntime build(
      OrchestrationConfig config,
      OvernightProperties properties,
      Optional<Store> store,
      BeanFactory beans) {
    OvernightRuntime.Builder b = OvernightRuntime.builder(config);
    b.lockStateFolder(properties.isLockStateFolder());
    Optional.ofNullable(properties.getWorkerId()).ifPresent(b::workerId);
    Optional.ofNullable(properties.getScheduler().getShutdownTimeout())
        .ifPresent(b::shutdownMaxWait);
    unique(beans, TimeSource.class).ifPresent(b::timeSource);
    unique(beans, KeepAwake.class).ifPresent(b::keepAwake);
    unique(beans, DecisionEngine.class).ifPresent(b::decisionEngine);
    unique(beans, PullRequestPublisher.class).ifPresent(b::pullRequestPublisher);
    all(beans, AgentProvider.class).forEach(b::agentProvider);
    all(beans, ConstraintCheckerProvider.class).forEach(b::constraintProvider);
    all(beans, SessionHistorySource.class).forEach(b::historySource);
    all(beans, CandidateSource.class).forEach(b::candidateSource);
    all(beans, SchedulerListener.class).forEach(b::schedulerListener);
    all(beans, CoordinatorListener.class).forEach(b::coordinatorListener);
    all(beans, HubSubscriber.class).forEach(b::sessionSubscriber);
    all(beans, RuntimeInstrumentation.class).forEach(b::instrumentation);
    store.ifPresent(b::store);
    all(beans, OvernightRuntimeCustomizer.class).forEach(c -> c.customize(b));
    return b.build();
  }

  /** The one bean of a type there can be only one of; two without a primary fail, as in Spring. */
  private static <T> Optional<T> unique(BeanFactory beans, Class<T> type) {
    return Optional.ofNullable(beans.getBeanProvider(type).getIfAvailable());
  }

  private static <T> java.util.stream.Stream<T> all(BeanFactory beans, Class<T> type) {
    ObjectProvider<T> provider = beans.getBeanProvider(type);
    return provider.orderedStream();
  }
}
