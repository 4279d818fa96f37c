package dev.overnight.testing.constraint;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The kit must fail each provider that breaks the contract, in the test about that rule only. */
class KitCatchesBrokenProvidersTest {

  @ParameterizedTest
  @CsvSource({
    "EmptyReason, everyExpectedStatusIsGivenWithAReason",
    "ThrowsOnBrokenData, checkNeverThrowsOverBrokenData",
    "ReturnsNull, checkNeverThrowsOverBrokenData",
    "WrongPath, createRejectsInvalidSettingsWithAConfigExceptionNamingThePath",
    "AcceptsBadSettings, createRejectsInvalidSettingsWithAConfigExceptionNamingThePath",
    "MisnamedChecker, createdCheckerHasTheProvidersName",
    "WrongStatus, everyExpectedStatusIsGivenWithAReason",
    "SupportCheckThrows, isSupportedAndOrderNeverThrowAndAreStable",
    "NotRegistered, providerIsDiscoverableByServiceLoader",
  })
  void failsExactlyTheBrokenRule(String kit, String failingTest) throws Exception {
    Class<?> type = Class.forName(BrokenProviders.class.getName() + "$" + kit);
    Events tests =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(type)).execute().testEvents();
    tests.assertThatEvents().haveExactly(1, event(test(failingTest), finishedWithFailure()));
    tests.failed().assertThatEvents().hasSize(expectedFailures(kit));
  }

  /** A provider whose isSupported() throws also fails the "on this machine" check, by design. */
  private static int expectedFailures(String kit) {
    return kit.equals("SupportCheckThrows") ? 2 : 1;
  }
}
