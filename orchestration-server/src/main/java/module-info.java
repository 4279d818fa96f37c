/**
 * Overnight's monitoring server: the dashboard page, its JSON API and the WebSocket bridge that
 * streams session updates, scheduler and coordinator events and queue changes.
 */
module dev.overnight.server {
  requires transitive dev.overnight.api;
  requires transitive dev.overnight.core;
  requires com.fasterxml.jackson.databind;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.websocket.api;
  requires org.eclipse.jetty.websocket.server;
  requires org.slf4j;

  exports dev.overnight.server;

  // Jetty's WebSocket layer creates method handles on the endpoint class.
  opens dev.overnight.server.internal to
      org.eclipse.jetty.websocket.common;
}
