package dev.overnight.core.config.internal;

import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.config.Permissions;
import dev.overnight.api.config.SandboxMode;
import java.util.Optional;

/**
 * Reads the config's {@code permissions} section: what agents may do unattended (the permission
 * mode, fetching, the sandbox and the network); every problem with its JSON path.
 */
final class PermissionsReader {
  private final Problems problems;

  PermissionsReader(Problems problems) {
    this.problems = problems;
  }

  /** The permissions of {@code root}; unattended when it has none. */
  Permissions read(JsonObject root) {
    return root.object("permissions").map(this::permissions).orElse(Permissions.unattended());
  }

  private Permissions permissions(JsonObject p) {
    PermissionMode mode =
        p.string("mode")
            .flatMap(
                text -> {
                  Optional<PermissionMode> m = PermissionMode.parse(text);
                  if (m.isEmpty()) {
                    problems.add(
                        p.pathOf("mode"),
                        "\""
                            + text
                            + "\" is not a permission mode: use \"unattended\", \"read_only\" or"
                            + " \"allow_all\"");
                  }
                  return m;
                })
            .orElse(PermissionMode.UNATTENDED);
    boolean fetch = p.bool("allow_fetch", false);
    SandboxMode sandbox =
        p.string("sandbox")
            .flatMap(
                text -> {
                  Optional<SandboxMode> m = SandboxMode.parse(text);
                  if (m.isEmpty()) {
                    problems.add(
                        p.pathOf("sandbox"),
                        "\""
                            + text
                            + "\" is not a sandbox mode: use \"required\", \"best_effort\" or"
                            + " \"off\"");
                  }
                  return m;
                })
            .orElse(SandboxMode.REQUIRED);
    boolean network = p.bool("allow_network", false);
    p.finish();
    return new Permissions(mode, fetch, sandbox, network);
  }
}
