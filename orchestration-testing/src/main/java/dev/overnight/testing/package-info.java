/**
 * Virtual time, compatibility kits and a scripted ACP agent for users of the SDK and for its own
 * modules.
 */
package dev.overnight.testing;
