package dev.overnight.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cookie a browser keeps for one dashboard after its first visit with the token.
 *
 * <p>Browsers do not separate cookies by port: every web server on the same host name (any other
 * program listening on 127.0.0.1) receives the cookies of all the others. So the cookie is scoped
 * as far as a cookie can be, and made worth little to anyone else who receives it:
 *
 * <ul>
 *   <li>its name carries the dashboard's port ({@code overnight_8080}), so dashboards on one host
 *       keep a cookie each, and the name says nothing about the token;
 *   <li>its value is not the token but an HMAC of the token and the port: it opens this dashboard
 *       on this port only, never another port nor the API's bearer authentication, and reveals
 *       nothing of the token;
 *   <li>{@code Path=/}, {@code HttpOnly} (no script reads it), {@code SameSite=Strict}.
 * </ul>
 *
 * <p>It is no {@code __Host-} cookie: that prefix requires {@code Secure}, and the dashboard speaks
 * plain HTTP (on loopback; a TLS proxy in front of it is invisible to it), where browsers do not
 * reliably keep a {@code Secure} cookie, and the dashboard would never get past its first page.
 * What remains is documented for users: a program that receives the cookie can use this dashboard
 * until the token changes, unless the dashboard is opened under a host name of its own ({@code
 * overnight.localhost}), whose cookies no other server receives.
 *
 * @param name the cookie's name
 * @param value the cookie's value
 */
public record DashboardCookie(String name, String value) {
  private static final String PREFIX = "overnight_";

  /** The cookie of the dashboard with {@code token} on {@code port}. */
  public static DashboardCookie of(String token, int port) {
    return new DashboardCookie(PREFIX + port, valueFor(token, port));
  }

  /**
   * Whether a cookie a request carried is the one of the dashboard with {@code token} on {@code
   * port}: its name, and its value compared in constant time.
   */
  public static boolean matches(String token, int port, String name, String value) {
    return name.equals(PREFIX + port)
        && MessageDigest.isEqual(
            valueFor(token, port).getBytes(StandardCharsets.US_ASCII),
            value.getBytes(StandardCharsets.US_ASCII));
  }

  private static String valueFor(String token, int port) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      byte[] digest =
          mac.doFinal(("overnight dashboard cookie " + port).getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      // Every Java runtime has HmacSHA256.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
