/** The Nostr module's implementation: Bech32, Schnorr calls, one relay connection. */
package dev.overnight.nostr.internal;
