/**
 * Overnight's Agent Client Protocol client: providers for Claude Code, Codex, Gemini CLI and any
 * ACP agent, talking JSON-RPC over the agent's stdio.
 */
module dev.overnight.acp {
  requires transitive dev.overnight.api;
  requires dev.overnight.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.overnight.acp;

  provides dev.overnight.api.agent.AgentProviderFactory with
      dev.overnight.acp.AcpAgentProviderFactory;
  provides dev.overnight.api.agent.TranscriptReader with
      dev.overnight.acp.AcpTranscripts;
}
