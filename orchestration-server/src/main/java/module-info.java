/**
 * Overnight's monitoring server: the dashboard page, its JSON API and the WebSocket bridge that
 * streams session updates, scheduler and coordinator events and queue changes.
 */
module dev.overnight.server {
  requires transitive dev.overnight.api;
  requires transitive dev.overnight.core;
  requires com.fasterxml.jackson.databind;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.websocket.core.common;
  requires org.eclipse.jetty.websocket.core.server;
  requires org.slf4j;

  exports dev.overnight.server;
}
