package dev.overnight.api.config;

import java.util.List;

/**
 * Which files of the workspace the decision engine may pick work from: glob patterns relative to
 * the workspace root ({@code **} crosses directories).
 *
 * @param include files considered; empty means every file
 * @param exclude files never considered, even if included
 * @since 0.1.0
 */
public record Focus(List<String> include, List<String> exclude) {

  /** Copies the lists. */
  public Focus {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }

  /** Every file. */
  public static Focus everything() {
    return new Focus(List.of(), List.of());
  }
}
