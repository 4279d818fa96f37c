/** Event delivery shared by every event source: one way to subscribe, deliver and unsubscribe. */
package dev.overnight.core.event;
