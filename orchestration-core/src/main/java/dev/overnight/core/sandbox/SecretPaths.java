package dev.overnight.core.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where users keep credentials in their home folder: keys, tokens and logins of ssh, gpg, git
 * hosts, clouds, container and package registries. A sandboxed command sees none of them. The list
 * is a best effort: a secret kept anywhere else is as visible as the rest of the home folder
 * (read-only); hide more with a request's hidden paths.
 *
 * @since 0.1.0
 */
public final class SecretPaths {
  /** The paths, relative to a home folder. */
  public static final List<String> IN_HOME =
      List.of(
          ".ssh",
          ".gnupg",
          ".aws",
          ".azure",
          ".config/gcloud",
          ".kube",
          ".docker",
          ".config/gh",
          ".config/hub",
          ".config/glab-cli",
          ".git-credentials",
          ".config/git/credentials",
          ".netrc",
          ".npmrc",
          ".yarnrc.yml",
          ".pypirc",
          ".config/pip",
          ".gem/credentials",
          ".cargo/credentials",
          ".cargo/credentials.toml",
          ".m2/settings.xml",
          ".m2/settings-security.xml",
          ".gradle/gradle.properties",
          ".terraform.d/credentials.tfrc.json",
          ".vault-token",
          ".pgpass",
          ".my.cnf",
          ".password-store",
          ".local/share/keyrings",
          ".config/op",
          ".mozilla",
          ".config/google-chrome",
          ".config/chromium",
          ".thunderbird");

  private SecretPaths() {}

  /** The secret paths under {@code home}, whether they exist or not. */
  public static List<Path> under(Path home) {
    List<Path> out = new ArrayList<>();
    for (String p : IN_HOME) {
      out.add(home.resolve(p));
    }
    return out;
  }
}
