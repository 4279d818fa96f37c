/**
 * Overnight's core: scheduler, constraint gate, coordinator, decision engine, config loader,
 * session update hub, in-memory queue and provider discovery.
 */
module dev.overnight.core {
  requires transitive dev.overnight.api;
  requires com.cronutils;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.overnight.core.config;
  exports dev.overnight.core.coordinator;
  exports dev.overnight.core.decision;
  exports dev.overnight.core.doctor;
  exports dev.overnight.core.hub;
  exports dev.overnight.core.platform;
  exports dev.overnight.core.process;
  exports dev.overnight.core.queue;
  exports dev.overnight.core.report;
  exports dev.overnight.core.runtime;
  exports dev.overnight.core.schedule;
  exports dev.overnight.core.spi;
  exports dev.overnight.core.time;
  exports dev.overnight.core.worktree;

  uses dev.overnight.api.constraint.ConstraintCheckerProvider;
  uses dev.overnight.api.KeepAwakeProvider;
  uses dev.overnight.api.agent.AgentProviderFactory;
  uses dev.overnight.api.decision.SessionHistorySource;
}
