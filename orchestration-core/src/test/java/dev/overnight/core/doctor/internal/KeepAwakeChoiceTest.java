package dev.overnight.core.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeepAwakeChoiceTest {

  /** A provider with a fixed order and support; {@code supported == null} makes the check throw. */
  static class Provider implements KeepAwakeProvider {
    final int order;
    final Boolean supported;

    Provider(int order, Boolean supported) {
      this.order = order;
      this.supported = supported;
    }

    @Override
    public String name() {
      return "test";
    }

    @Override
    public boolean isSupported() {
      if (supported == null) {
        throw new IllegalStateException("cannot tell");
      }
      return supported;
    }

    @Override
    public int order() {
      return order;
    }

    @Override
    public KeepAwake create() {
      return KeepAwake.noop();
    }
  }

  /** Same behaviour, another class name, to see how ties are broken. */
  static final class ZProvider extends Provider {
    ZProvider(int order, Boolean supported) {
      super(order, supported);
    }
  }

  @Test
  void theSupportedProviderWithTheLowestOrderIsChosen() {
    Provider unsupported = new Provider(0, false);
    Provider throwing = new Provider(0, null);
    Provider late = new Provider(5, true);
    Provider early = new Provider(2, true);
    List<KeepAwakeProvider> found = List.of(unsupported, throwing, late, early);

    KeepAwakeChoice choice = KeepAwakeChoice.among(Optional.empty(), found);

    assertThat(choice.chosen()).containsSame(early);
    assertThat(choice.found()).containsExactlyElementsOf(found);
    assertThat(choice.explicit()).isEmpty();
  }

  @Test
  void equalOrdersAreBrokenByClassName() {
    Provider z = new ZProvider(1, true);
    Provider a = new Provider(1, true);

    assertThat(KeepAwakeChoice.among(Optional.empty(), List.of(z, a)).chosen()).containsSame(a);
  }

  @Test
  void nothingSupportedChoosesNothing() {
    assertThat(
            KeepAwakeChoice.among(
                    Optional.empty(), List.of(new Provider(0, false), new Provider(1, null)))
                .chosen())
        .isEmpty();
  }

  @Test
  void anExplicitKeepAwakeOverridesEveryProvider() {
    KeepAwake explicit = KeepAwake.noop();
    Provider supported = new Provider(0, true);

    KeepAwakeChoice choice = KeepAwakeChoice.among(Optional.of(explicit), List.of(supported));

    assertThat(choice.explicit()).containsSame(explicit);
    assertThat(choice.chosen()).isEmpty();
    assertThat(choice.found()).containsExactly(supported);
  }

  @Test
  void aChoiceThatContradictsItselfIsRejected() {
    Provider provider = new Provider(0, true);

    assertThatThrownBy(
            () ->
                new KeepAwakeChoice(
                    Optional.of(KeepAwake.noop()), List.of(provider), Optional.of(provider)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("an explicit keep-awake overrides every provider");
    assertThatThrownBy(
            () -> new KeepAwakeChoice(Optional.empty(), List.of(), Optional.of(provider)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not among those found");
  }
}
