/**
 * Overnight's core: scheduler, constraint gate, coordinator, decision engine, config loader,
 * session update hub, in-memory queue and provider discovery.
 */
module dev.overnight.core {
  requires transitive dev.overnight.api;
  requires org.slf4j;

  exports dev.overnight.core.queue;
  exports dev.overnight.core.spi;
  exports dev.overnight.core.state;

  uses dev.overnight.api.constraint.ConstraintCheckerProvider;
  uses dev.overnight.api.KeepAwakeProvider;
  uses dev.overnight.api.agent.AgentProviderFactory;
  uses dev.overnight.api.decision.SessionHistorySource;
}
