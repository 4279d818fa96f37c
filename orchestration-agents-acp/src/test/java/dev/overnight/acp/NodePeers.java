package dev.overnight.acp;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the real npm peers live: the folder the build installs them into with {@code npm ci}, and
 * the {@code node} that runs them. Missing tools fail the test with what to install; they never
 * skip it.
 */
final class NodePeers {
  private NodePeers() {}

  /** The folder with package.json, the lock file and node_modules. */
  static Path folder() {
    Path dir =
        Path.of(
            System.getProperty(
                "overnight.acp.nodeDir",
                Path.of(System.getProperty("overnight.moduleDir", "."), "src/test/node")
                    .toString()));
    if (!Files.isDirectory(dir.resolve("node_modules/@agentclientprotocol/sdk"))) {
      fail(
          "The npm test peers are not installed in "
              + dir
              + "/node_modules. The Maven build installs them (generate-test-resources runs"
              + " build-support/npm-ci.sh, i.e. `npm ci`); run `mvn -pl orchestration-agents-acp"
              + " -am generate-test-resources` or `sh build-support/npm-ci.sh "
              + dir
              + " tests`.");
    }
    return dir;
  }

  /** The {@code node} executable on PATH. */
  static Path node() {
    return onPath("node")
        .orElseGet(
            () -> {
              fail(
                  "node is not on PATH: these tests run real ACP agents on Node.js. Install"
                      + " Node.js 20 or newer with npm (e.g. `apt-get install nodejs npm`).");
              return null;
            });
  }

  /** An executable the npm packages installed under node_modules/.bin. */
  static Path bin(String name) {
    Path p = folder().resolve("node_modules/.bin").resolve(name);
    if (!Files.isExecutable(p)) {
      fail(
          p
              + " is missing: the pinned npm packages are not fully installed (run build-support/npm-ci.sh)");
    }
    return p;
  }

  static Optional<Path> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Optional.of(Path.of(dir, name));
      }
    }
    return Optional.empty();
  }
}
