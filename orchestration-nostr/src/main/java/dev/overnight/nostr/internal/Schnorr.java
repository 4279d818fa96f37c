package dev.overnight.nostr.internal;

import fr.acinq.secp256k1.Secp256k1;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * BIP-340 Schnorr signatures over secp256k1, through ACINQ's secp256k1-kmp (libsecp256k1 over JNI):
 * no cryptography is written here, only the calls.
 *
 * <p>Thread-safe; the native library is loaded on first use.
 *
 * @since 0.1.0
 */
public final class Schnorr {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Schnorr() {}

  /** A new secret key: 32 random bytes that are a valid secp256k1 scalar. */
  public static byte[] newSecretKey() {
    byte[] key = new byte[32];
    do {
      RANDOM.nextBytes(key);
    } while (!Secp256k1.get().secKeyVerify(key));
    return key;
  }

  /** Whether {@code secret} is a valid secret key. */
  public static boolean validSecretKey(byte[] secret) {
    return secret.length == 32 && Secp256k1.get().secKeyVerify(secret);
  }

  /** The x-only public key (32 bytes) of a secret key. */
  public static byte[] publicKey(byte[] secret) {
    byte[] full = Secp256k1.get().pubkeyCreate(secret);
    // The uncompressed point: 0x04, then x, then y; BIP-340 keys are x alone.
    return Arrays.copyOfRange(full, 1, 33);
  }

  /** Signs a 32-byte message (an event id) with fresh auxiliary randomness. */
  public static byte[] sign(byte[] message, byte[] secret) {
    byte[] aux = new byte[32];
    RANDOM.nextBytes(aux);
    return Secp256k1.get().signSchnorr(message, secret, aux);
  }

  /** Whether {@code signature} is {@code publicKey}'s over {@code message}; never throws. */
  public static boolean verify(byte[] signature, byte[] message, byte[] publicKey) {
    if (signature.length != 64 || message.length != 32 || publicKey.length != 32) {
      return false;
    }
    try {
      return Secp256k1.get().verifySchnorr(signature, message, publicKey);
    } catch (RuntimeException e) {
      // libsecp256k1 throws for a key that is not on the curve: that is a bad signature too.
      return false;
    }
  }
}
