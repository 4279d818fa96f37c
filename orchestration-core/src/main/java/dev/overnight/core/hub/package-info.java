/**
 * The session update hub: one place where every agent session's updates are published, kept for
 * late subscribers, and fanned out to any number of subscribers without ever slowing an agent down.
 */
package dev.overnight.core.hub;
