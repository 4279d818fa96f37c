/**
 * Overnight's API: the interfaces, records and SPIs every other module builds on. It depends on the
 * JDK only.
 */
module dev.overnight.api {
  exports dev.overnight.api;
  exports dev.overnight.api.agent;
  exports dev.overnight.api.config;
  exports dev.overnight.api.constraint;
  exports dev.overnight.api.decision;
  exports dev.overnight.api.notify;
  exports dev.overnight.api.fleet;
  exports dev.overnight.api.pipeline;
  exports dev.overnight.api.queue;
  exports dev.overnight.api.schedule;
  exports dev.overnight.api.store;

  uses dev.overnight.api.constraint.ConstraintCheckerProvider;
  uses dev.overnight.api.KeepAwakeProvider;
  uses dev.overnight.api.WakeSchedulerProvider;
  uses dev.overnight.api.agent.AgentProviderFactory;
  uses dev.overnight.api.decision.SessionHistorySourceProvider;
  uses dev.overnight.api.decision.DecisionEngineProvider;
  uses dev.overnight.api.decision.CandidateSourceProvider;
  uses dev.overnight.api.store.StoreProvider;
  uses dev.overnight.api.notify.NotifierProvider;
  uses dev.overnight.api.pipeline.PipelineOperation;
}
