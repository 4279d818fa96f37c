package dev.overnight.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteUrlsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "git@github.com:acme/shop.git",
        "git@github.com:acme/shop",
        "ssh://git@github.com/acme/shop.git",
        "ssh://git@github.com:22/acme/shop",
        "https://github.com/acme/shop.git",
        "https://github.com/acme/shop",
        "https://someone:token@GitHub.com/acme/shop.git/",
        "http://github.com//acme/shop/",
        "git://github.com/acme/shop.git",
        "  https://github.com/acme/shop\n"
      })
  void sshAndHttpsRemotesOfOneRepositoryNameItAlike(String url) {
    assertThat(RemoteUrls.normalize(url)).contains("github.com/acme/shop");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/srv/git/shop.git",
        "./shop",
        "../shop.git",
        "file:///srv/git/shop.git",
        "",
        "https://github.com/"
      })
  void localPathsNameNoSharedRepository(String url) {
    assertThat(RemoteUrls.normalize(url)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"git@gitlab.example.com:group/sub/Project.git"})
  void theHostIsLowerCasedTheNestedPathKeptAsItIs(String url) {
    assertThat(RemoteUrls.normalize(url)).contains("gitlab.example.com/group/sub/Project");
  }
}
