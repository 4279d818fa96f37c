package dev.overnight.core.pr;

import com.sun.net.httpserver.HttpsConfigurator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority made for one test with the JDK's own {@code keytool}, and a certificate
 * for 127.0.0.1 it signed: what a local HTTPS server needs for a client that checks certificates
 * against {@code SSL_CERT_FILE} (as {@code gh} does), with no library beyond the JDK.
 */
final class TestCertificateAuthority {
  private static final String PASSWORD = "overnight-test";

  private final Path caPem;
  private final Path serverKeystore;

  private TestCertificateAuthority(Path caPem, Path serverKeystore) {
    this.caPem = caPem;
    this.serverKeystore = serverKeystore;
  }

  /** Makes the authority and the server's certificate in {@code dir}. */
  static TestCertificateAuthority create(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path ca = dir.resolve("ca.p12");
    Path caPem = dir.resolve("ca.pem");
    Path server = dir.resolve("server.p12");
    Path csr = dir.resolve("server.csr");
    Path signed = dir.resolve("server.pem");
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=Overnight Test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        ca.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    keytool(
        dir,
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        caPem.toString());
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=127.0.0.1",
        "-validity",
        "2",
        "-keystore",
        server.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    keytool(
        dir,
        "-certreq",
        "-alias",
        "server",
        "-keystore",
        server.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        csr.toString());
    keytool(
        dir,
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-storepass",
        PASSWORD,
        "-infile",
        csr.toString(),
        "-outfile",
        signed.toString(),
        "-ext",
        "san=ip:127.0.0.1,dns:localhost",
        "-ext",
        "eku=serverAuth",
        "-validity",
        "2");
    keytool(
        dir,
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-keystore",
        server.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        caPem.toString());
    keytool(
        dir,
        "-importcert",
        "-alias",
        "server",
        "-keystore",
        server.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        signed.toString());
    return new TestCertificateAuthority(caPem, server);
  }

  /** The authority's certificate, PEM: what {@code SSL_CERT_FILE} names. */
  Path caPem() {
    return caPem;
  }

  /** TLS for a JDK {@code HttpsServer} presenting the signed certificate. */
  HttpsConfigurator https() throws IOException {
    try (InputStream in = Files.newInputStream(serverKeystore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD.toCharArray());
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), null, null);
      return new HttpsConfigurator(tls);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("the test certificate cannot be loaded: " + e, e);
    }
  }

  private static void keytool(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("keytool " + args[0] + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
