/**
 * Agents and their sessions: the providers that start Claude Code, Codex, Gemini or any Agent
 * Client Protocol agent, the stream of updates a session produces, and the policy that answers an
 * agent's permission requests.
 *
 * <p>{@link dev.overnight.api.agent.SessionUpdate} mirrors ACP's update kinds without depending on
 * the protocol: a newer agent's unknown kinds arrive as {@link
 * dev.overnight.api.agent.SessionUpdate.Unknown}, never as an error.
 */
package dev.overnight.api.agent;
