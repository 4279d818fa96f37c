/**
 * Overnight's monitoring server: a live dashboard, an HTTP JSON API and a WebSocket bridge that
 * streams every agent's session updates, the scheduler's and the coordinator's events and the
 * queue's changes to any client.
 *
 * <p>Start one with {@link dev.overnight.server.DashboardServer#builder(DashboardBackend)}. The
 * server reads everything through a {@link dev.overnight.server.DashboardBackend}; {@link
 * dev.overnight.server.InMemoryDashboardBackend} is a ready one that records the events it is fed
 * and can delegate to a real scheduler and coordinator.
 */
package dev.overnight.server;
