package dev.overnight.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The gate every request passes: right host, right token, right origin.
 *
 * <ul>
 *   <li><b>Host.</b> While bound to a loopback address, the {@code Host} header must name the
 *       loopback interface ({@code 127.0.0.1}, {@code [::1]}, {@code localhost} or a name under
 *       {@code .localhost}, which browsers resolve to loopback themselves), so a web page that
 *       rebinds its own domain name to 127.0.0.1 is refused.
 *   <li><b>Token.</b> Every request presents the token: as {@code Authorization: Bearer}, as the
 *       cookie set on the first visit, or as a {@code token} query parameter. A page visited with
 *       {@code ?token=} gets the {@linkplain DashboardCookie cookie} (named after the port, holding
 *       a value derived from the token rather than the token) and is redirected to the same address
 *       without the token, so that it stays out of the history and the address bar.
 *   <li><b>Origin.</b> WebSocket upgrades and every request that changes something must come from
 *       the dashboard's own origin (or one allowed explicitly); a browser request authenticated by
 *       the cookie alone must carry its origin.
 * </ul>
 *
 * Refusals: 401 (an HTML page for pages, JSON for the API and the WebSocket), 403 for a wrong host
 * or origin.
 */
public final class AccessGuard extends Handler.Wrapper {
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

  private final byte[] token;
  private final boolean loopbackOnly;
  private final Set<String> extraHosts;
  private final Set<String> allowedOrigins;
  private final byte[] unauthorizedPage;

  /**
   * A guard.
   *
   * @param token the token every request must present
   * @param loopbackOnly whether the server listens on loopback only (then the host is checked)
   * @param extraHosts other host names accepted when loopbackOnly (the bind address)
   * @param allowedOrigins origins accepted besides the dashboard's own
   * @param unauthorizedPage the HTML page shown to a browser without the token
   */
  public AccessGuard(
      String token,
      boolean loopbackOnly,
      Set<String> extraHosts,
      Set<String> allowedOrigins,
      byte[] unauthorizedPage) {
    this.token = token.getBytes(StandardCharsets.US_ASCII);
    this.loopbackOnly = loopbackOnly;
    this.extraHosts = Set.copyOf(extraHosts);
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    this.unauthorizedPage = unauthorizedPage.clone();
  }

  private enum Credential {
    HEADER,
    QUERY,
    COOKIE
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    boolean machine = path.startsWith("/api/") || path.equals("/api") || path.equals("/ws");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");

    Optional<String> host = Optional.ofNullable(request.getHeaders().get(HttpHeader.HOST));
    if (loopbackOnly && host.isPresent() && !isLoopbackHost(host.get())) {
      Http.error(response, callback, 403, "this dashboard answers on the loopback interface only");
      return true;
    }

    Fields query = Request.extractQueryParameters(request);
    Optional<Credential> credential = credential(request, query);
    if (credential.isEmpty()) {
      if (machine) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"overnight\"");
        Http.error(
            response,
            callback,
            401,
            "a token is required: send 'Authorization: Bearer <token>' (the token is in the"
                + " state folder's dashboard-token file)");
      } else {
        Http.bytes(response, callback, 401, "text/html; charset=utf-8", unauthorizedPage);
      }
      return true;
    }

    boolean changes =
        !HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod());
    if (changes || path.equals("/ws")) {
      String origin = request.getHeaders().get(HttpHeader.ORIGIN);
      if (origin == null
          ? credential.get() == Credential.COOKIE
          : !originAllowed(request, origin)) {
        Http.error(
            response,
            callback,
            403,
            origin == null
                ? "a browser request must carry its Origin"
                : "origin " + origin + " may not use this dashboard");
        return true;
      }
    }

    if (credential.get() == Credential.QUERY
        && !machine
        && HttpMethod.GET.is(request.getMethod())) {
      DashboardCookie cookie =
          DashboardCookie.of(
              new String(token, StandardCharsets.US_ASCII), Request.getLocalPort(request));
      Response.addCookie(
          response,
          HttpCookie.build(cookie.name(), cookie.value())
              .path("/")
              .httpOnly(true)
              .sameSite(HttpCookie.SameSite.STRICT)
              .maxAge(30L * 24 * 3600)
              .build());
      Response.sendRedirect(request, response, callback, 303, withoutToken(path, query), false);
      return true;
    }
    return super.handle(request, response, callback);
  }

  private Optional<Credential> credential(Request request, Fields query) {
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && matches(authorization.substring(7).strip())) {
      return Optional.of(Credential.HEADER);
    }
    String fromQuery = query.getValue("token");
    if (fromQuery != null && matches(fromQuery)) {
      return Optional.of(Credential.QUERY);
    }
    String tokenText = new String(token, StandardCharsets.US_ASCII);
    int port = Request.getLocalPort(request);
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (DashboardCookie.matches(tokenText, port, cookie.getName(), cookie.getValue())) {
        return Optional.of(Credential.COOKIE);
      }
    }
    return Optional.empty();
  }

  private boolean matches(String presented) {
    // Constant time, so the token cannot be guessed a character at a time.
    return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII));
  }

  private boolean isLoopbackHost(String hostHeader) {
    String name = hostName(hostHeader);
    return LOOPBACK_NAMES.contains(name)
        || extraHosts.contains(name)
        // RFC 6761: browsers answer *.localhost from loopback themselves, never from DNS, so no
        // page can rebind such a name. A name of its own keeps the dashboard's cookie away from
        // every other server on 127.0.0.1.
        || (name.endsWith(".localhost") && name.length() > ".localhost".length());
  }

  static String hostName(String hostHeader) {
    String h = hostHeader.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private boolean originAllowed(Request request, String origin) {
    String o = origin.strip().toLowerCase(Locale.ROOT);
    if (allowedOrigins.contains(o)) {
      return true;
    }
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null) {
      return false;
    }
    String scheme = request.isSecure() ? "https" : "http";
    return o.equals(scheme + "://" + host.strip().toLowerCase(Locale.ROOT));
  }

  private static String withoutToken(String path, Fields query) {
    StringBuilder location = new StringBuilder(path);
    char sep = '?';
    for (Fields.Field field : query) {
      if (field.getName().equals("token")) {
        continue;
      }
      for (String value : field.getValues()) {
        location
            .append(sep)
            .append(java.net.URLEncoder.encode(field.getName(), StandardCharsets.UTF_8))
            .append('=')
            .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    return location.toString();
  }
}
