package dev.overnight.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.WakeSchedulerProvider;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.linux.LinuxPlatform;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryTest {
  @TempDir Path temp;

  @Test
  void serviceLoaderFindsEveryBuiltInAndTheKeepAwake() {
    List<ConstraintCheckerProvider> checkers =
        ProviderLoader.standard().load(ConstraintCheckerProvider.class);
    assertThat(checkers.stream().map(ConstraintCheckerProvider::name).collect(Collectors.toList()))
        .containsExactlyInAnyOrderElementsOf(Constraints.BUILT_IN);
    assertThat(ProviderLoader.standard().load(KeepAwakeProvider.class))
        .singleElement()
        .satisfies(p -> assertThat(p.name()).isEqualTo("linux-systemd-inhibit"));
    assertThat(ProviderLoader.standard().load(WakeSchedulerProvider.class))
        .singleElement()
        .satisfies(p -> assertThat(p.name()).isEqualTo("linux-rtcwake"));
    boolean linux = OsFamily.current() == OsFamily.LINUX;
    assertThat(checkers).allSatisfy(p -> assertThat(p.isSupported()).isEqualTo(linux));
  }

  @Test
  void aPlatformOverAnotherRootReadsThatTree() {
    FakeTree tree =
        new FakeTree(temp).supply("BAT0", PowerSupplyCheckerTest.battery("Discharging", "58"));
    LinuxPlatform platform =
        LinuxPlatform.builder().sysRoot(tree.sys).procRoot(tree.proc).supported(true).build();
    ConstraintCheckerProvider plugged = platform.checkerProviders().get(0);
    assertThat(plugged.name()).isEqualTo("plugged_in");
    assertThat(
            plugged.create(new ConstraintSettings("plugged_in", true, Constraints.none())).check())
        .isEqualTo(ConstraintResult.unsatisfied("on battery (BAT0 discharging, 58%)"));
  }

  @Test
  void onAnotherSystemTheCheckersSayTheyCannotTell() {
    LinuxPlatform platform = LinuxPlatform.builder().supported(false).build();
    for (ConstraintCheckerProvider p : platform.checkerProviders()) {
      Object value = p.name().equals("cpu_max_percentage") ? (Object) 80 : Boolean.TRUE;
      ConstraintResult r =
          p.create(new ConstraintSettings(p.name(), value, Constraints.none())).check();
      assertThat(r.reason()).startsWith("the Linux checker does not run on ");
    }
  }

  @Test
  void everyCheckerAnswersOnThisMachine() {
    for (ConstraintCheckerProvider p : LinuxPlatform.system().checkerProviders()) {
      Object value = p.name().equals("cpu_max_percentage") ? (Object) 95 : Boolean.TRUE;
      ConstraintResult r =
          p.create(new ConstraintSettings(p.name(), value, Constraints.none())).check();
      assertThat(r.reason()).as(p.name()).isNotBlank();
    }
  }
}
