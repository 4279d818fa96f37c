/**
 * Publishing and discovering pipeline manifests over Nostr: signed parameterized-replaceable events
 * (NIP-01, NIP-33), {@code naddr} addresses (NIP-19), and the key they are signed with. Signatures
 * go through ACINQ's secp256k1-kmp; relays are reached with the JDK's WebSocket client.
 */
package dev.overnight.nostr;
