package dev.overnight.macos.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.WakeSchedulerProvider;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.macos.MacPlatform;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Loading this module off macOS must never throw: providers are discovered, say they are not
 * supported, and create checkers that answer UNKNOWN. Only the native holders fail to load.
 */
class LoadsEverywhereTest {
  static final boolean MAC = OsFamily.current() == OsFamily.MACOS;

  @Test
  void serviceLoaderFindsEveryProviderAndNoneThrows() {
    List<ConstraintCheckerProvider> checkers =
        ProviderLoader.standard().load(ConstraintCheckerProvider.class);
    assertThat(checkers.stream().map(ConstraintCheckerProvider::name).collect(Collectors.toList()))
        .containsExactlyInAnyOrderElementsOf(Constraints.BUILT_IN);
    List<KeepAwakeProvider> keepAwakes = ProviderLoader.standard().load(KeepAwakeProvider.class);
    assertThat(keepAwakes)
        .singleElement()
        .satisfies(k -> assertThat(k.name()).isEqualTo("macos-iopm"));
    List<WakeSchedulerProvider> wakes = ProviderLoader.standard().load(WakeSchedulerProvider.class);
    assertThat(wakes)
        .singleElement()
        .satisfies(w -> assertThat(w.name()).isEqualTo("macos-iopm-wake"));
    if (!MAC) {
      assertThat(checkers).noneMatch(ConstraintCheckerProvider::isSupported);
      assertThat(keepAwakes).noneMatch(KeepAwakeProvider::isSupported);
      assertThat(wakes).noneMatch(WakeSchedulerProvider::isSupported);
    }
  }

  @Test
  void offMacOsCheckersSayWhyTheyCannotTell() {
    if (MAC) {
      assertThat(MacNative.unavailability()).isEmpty();
      return;
    }
    assertThat(MacNative.unavailability())
        .hasValueSatisfying(w -> assertThat(w).startsWith("not macOS: "));
    for (ConstraintCheckerProvider p : MacPlatform.system().checkerProviders()) {
      Object value = p.name().equals("cpu_max_percentage") ? (Object) 80 : Boolean.TRUE;
      ConstraintResult r =
          p.create(new ConstraintSettings(p.name(), value, Constraints.none())).check();
      assertThat(r.status()).isEqualTo(ConstraintStatus.UNKNOWN);
      assertThat(r.reason()).startsWith("the macOS checker cannot run here: not macOS: ");
    }
  }

  @Test
  void everyClassButTheNativeHoldersInitialisesOffMacOs() throws Exception {
    List<String> classes = moduleClasses();
    assertThat(classes).contains(JnaMacSystem.class.getName(), MacPlatform.class.getName());
    for (String name : classes) {
      if (name.startsWith(MacLibraries.class.getName() + "$")) {
        continue;
      }
      Class.forName(name, true, getClass().getClassLoader());
    }
  }

  @Test
  void theNativeHoldersAreWhatFailsOffMacOs() {
    if (MAC) {
      return;
    }
    assertThatThrownBy(
            () ->
                Class.forName(MacLibraries.Iopm.class.getName(), true, getClass().getClassLoader()))
        .isInstanceOf(LinkageError.class);
    // Asking again must not throw anything new: the answer is remembered.
    assertThat(MacNative.available()).isFalse();
    assertThat(MacNative.available()).isFalse();
  }

  private static List<String> moduleClasses() throws IOException, URISyntaxException {
    Path root =
        Path.of(MacPlatform.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .map(root::relativize)
          .map(Path::toString)
          .filter(f -> f.endsWith(".class") && !f.equals("module-info.class"))
          .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
