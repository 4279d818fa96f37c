/**
 * A scripted ACP agent in plain Java: a stand-in for Claude Code or Codex in demos and end-to-end
 * tests, able to misbehave on purpose.
 */
package dev.overnight.testing.agent;
