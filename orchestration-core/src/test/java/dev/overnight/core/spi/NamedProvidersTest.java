package dev.overnight.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamedProvidersTest {

  record Provider(String name, int order, boolean supported, String tag) {}

  private static NamedProviders<Provider> providers(List<Provider> explicit, List<Provider> found) {
    return new NamedProviders<>(
        "test", explicit, found, Provider::name, Provider::order, Provider::supported);
  }

  @Test
  void zeroProvidersSelectNothing() {
    assertThat(providers(List.of(), List.of()).select("plugged_in")).isEmpty();
  }

  @Test
  void oneSupportedProviderIsSelected() {
    Provider p = new Provider("plugged_in", 0, true, "linux");
    assertThat(providers(List.of(), List.of(p)).select("plugged_in")).contains(p);
  }

  @Test
  void severalProvidersGoByOrderThenClassName() {
    Provider low = new Provider("cpu", 5, true, "low");
    Provider high = new Provider("cpu", 1, true, "high");
    Provider unsupported = new Provider("cpu", 0, false, "mac");
    assertThat(providers(List.of(), List.of(low, unsupported, high)).select("cpu")).contains(high);
  }

  @Test
  void explicitRegistrationWinsOverDiscoveryAndLastRegistrationWins() {
    Provider found = new Provider("cpu", 0, true, "found");
    Provider first = new Provider("cpu", 9, false, "first");
    Provider second = new Provider("cpu", 9, false, "second");
    assertThat(providers(List.of(first, second), List.of(found)).select("cpu")).contains(second);
  }

  @Test
  void reportsWhenOnlyUnsupportedProvidersExist() {
    Provider mac = new Provider("respect_dnd", 0, false, "mac");
    NamedProviders<Provider> np = providers(List.of(), List.of(mac));
    assertThat(np.select("respect_dnd")).isEmpty();
    assertThat(np.onlyUnsupported("respect_dnd")).isTrue();
    assertThat(np.onlyUnsupported("absent")).isFalse();
    assertThat(np.names()).containsExactly("respect_dnd");
  }

  @Test
  void noneLoaderFindsNothingAndStandardLoaderSkipsNothingItCanLoad() {
    assertThat(ProviderLoader.none().load(Runnable.class)).isEmpty();
    assertThat(ProviderLoader.standard().load(OtherProviderSpi.class)).isEmpty();
  }

  interface OtherProviderSpi {}
}
