/**
 * Agents that speak the Agent Client Protocol: {@link dev.overnight.acp.AcpAgentProvider} starts
 * Claude Code, Codex, Gemini CLI or any ACP command as a child process and talks to it over stdio;
 * {@link dev.overnight.acp.AcpAgentProviderFactory} contributes them to a configuration.
 */
package dev.overnight.acp;
