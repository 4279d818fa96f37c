/**
 * Overnight's core: scheduler, constraint gate, coordinator, decision engine, config loader,
 * session update hub, in-memory queue and provider discovery.
 */
module dev.overnight.core {
  requires transitive dev.overnight.api;
  requires com.cronutils;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires java.net.http;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.slf4j;

  exports dev.overnight.core.cleanup;
  exports dev.overnight.core.config;
  exports dev.overnight.core.conflict;
  exports dev.overnight.core.coordinator;
  exports dev.overnight.core.decision;
  exports dev.overnight.core.doctor;
  exports dev.overnight.core.event;
  exports dev.overnight.core.fleet;
  exports dev.overnight.core.hub;
  exports dev.overnight.core.issues;
  exports dev.overnight.core.json;
  exports dev.overnight.core.notify;
  exports dev.overnight.core.pipeline;
  exports dev.overnight.core.platform;
  exports dev.overnight.core.pr;
  exports dev.overnight.core.process;
  exports dev.overnight.core.queue;
  exports dev.overnight.core.report;
  exports dev.overnight.core.runtime;
  exports dev.overnight.core.sandbox;
  exports dev.overnight.core.schedule;
  exports dev.overnight.core.secrets;
  exports dev.overnight.core.spi;
  exports dev.overnight.core.store;
  exports dev.overnight.core.time;
  exports dev.overnight.core.worktree;

  uses dev.overnight.api.constraint.ConstraintCheckerProvider;
  uses dev.overnight.api.KeepAwakeProvider;
  uses dev.overnight.api.WakeSchedulerProvider;
  uses dev.overnight.api.agent.AgentProviderFactory;
  uses dev.overnight.api.decision.SessionHistorySourceProvider;
  uses dev.overnight.api.decision.DecisionEngineProvider;
  uses dev.overnight.api.decision.CandidateSourceProvider;
  uses dev.overnight.api.store.StoreProvider;
  uses dev.overnight.api.pipeline.PipelineOperation;
  uses dev.overnight.api.agent.TranscriptReader;
  uses dev.overnight.core.runtime.RuntimeInstrumentation;
  uses dev.overnight.api.notify.NotifierProvider;

  provides dev.overnight.api.decision.DecisionEngineProvider with
      dev.overnight.core.decision.internal.HeuristicEngineProvider,
      dev.overnight.core.decision.internal.EvidenceEngineProvider,
      dev.overnight.core.decision.internal.AgentEngineProvider,
      dev.overnight.core.decision.internal.NoDecisionEngineProvider;
  provides dev.overnight.api.decision.CandidateSourceProvider with
      dev.overnight.core.decision.internal.TestsSource,
      dev.overnight.core.decision.internal.RegressionTestsSource,
      dev.overnight.core.decision.internal.TodoSource,
      dev.overnight.core.decision.internal.RefactorSource,
      dev.overnight.core.decision.internal.CheckersSource,
      dev.overnight.core.decision.internal.DependencySource;
  provides dev.overnight.api.decision.SessionHistorySourceProvider with
      dev.overnight.core.decision.internal.OvernightTranscriptsProvider,
      dev.overnight.core.decision.internal.ClaudeCodeHistoryProvider,
      dev.overnight.core.decision.internal.CodexHistoryProvider;
  provides dev.overnight.api.notify.NotifierProvider with
      dev.overnight.core.notify.internal.WebhookNotifierProvider,
      dev.overnight.core.notify.internal.SlackNotifierProvider,
      dev.overnight.core.notify.internal.NtfyNotifierProvider,
      dev.overnight.core.notify.internal.DesktopNotifierProvider;
}
