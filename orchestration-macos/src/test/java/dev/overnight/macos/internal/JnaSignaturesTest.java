package dev.overnight.macos.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import com.sun.jna.Structure;
import com.sun.jna.platform.mac.CoreFoundation;
import com.sun.jna.platform.mac.CoreFoundation.CFAllocatorRef;
import com.sun.jna.platform.mac.CoreFoundation.CFArrayRef;
import com.sun.jna.platform.mac.CoreFoundation.CFDictionaryRef;
import com.sun.jna.platform.mac.CoreFoundation.CFStringRef;
import com.sun.jna.platform.mac.CoreFoundation.CFTypeRef;
import com.sun.jna.platform.mac.IOKit;
import com.sun.jna.platform.mac.IOKitUtil;
import com.sun.jna.platform.mac.SystemB;
import com.sun.jna.ptr.ByReference;
import com.sun.jna.ptr.IntByReference;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Checks the JNA mappings without calling them (nothing native runs off macOS): our own interfaces
 * declare exactly the C functions we expect with types JNA can marshal, and the jna-platform
 * functions we rely on still have the signatures our code was written against. Reflection loads
 * these interfaces but never initialises them, so no library is loaded.
 */
class JnaSignaturesTest {

  /** The signature of one C function as mapped: return type, then parameter types. */
  private static List<Class<?>> sig(Class<?>... types) {
    return List.of(types);
  }

  private static Map<String, List<Class<?>>> declared(Class<?> library) {
    Map<String, List<Class<?>>> out = new TreeMap<>();
    for (Method m : library.getDeclaredMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || m.isSynthetic()) {
        continue;
      }
      Class<?>[] all = new Class<?>[m.getParameterCount() + 1];
      all[0] = m.getReturnType();
      System.arraycopy(m.getParameterTypes(), 0, all, 1, m.getParameterCount());
      out.put(m.getName(), List.of(all));
    }
    return out;
  }

  @Test
  void ourIoKitMappingMatchesIopmLibAndIoPowerSources() {
    assertThat(declared(IOKitPowerManagement.class))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "IOPMAssertionCreateWithName",
                    sig(
                        int.class,
                        CFStringRef.class,
                        int.class,
                        CFStringRef.class,
                        IntByReference.class),
                "IOPMAssertionRelease", sig(int.class, int.class),
                "IOPSGetProvidingPowerSourceType", sig(CFStringRef.class, CFTypeRef.class),
                "IOPMSchedulePowerEvent",
                    sig(int.class, CFTypeRef.class, CFStringRef.class, CFStringRef.class),
                "IOPMCancelScheduledPowerEvent",
                    sig(int.class, CFTypeRef.class, CFStringRef.class, CFStringRef.class),
                "IOPMConnectionGetSystemCapabilities", sig(int.class)));
    assertThat(IOKitPowerManagement.ASSERTION_LEVEL_ON).isEqualTo(255);
    assertThat(IOKitPowerManagement.CAPABILITY_CPU).isEqualTo(0x1);
    assertThat(IOKitPowerManagement.CAPABILITY_VIDEO).isEqualTo(0x2);
  }

  @Test
  void ourCoreFoundationDateMappingMatchesCfDate() {
    assertThat(declared(CoreFoundationDates.class))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("CFDateCreate", sig(CFTypeRef.class, CFAllocatorRef.class, double.class)));
  }

  @Test
  void ourSystemConfigurationMappingMatchesTheHeaders() {
    assertThat(declared(SystemConfigurationLibrary.class))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "SCDynamicStoreCreate",
                    sig(
                        Pointer.class,
                        CFAllocatorRef.class,
                        CFStringRef.class,
                        Pointer.class,
                        Pointer.class),
                "SCDynamicStoreCopyValue", sig(CFTypeRef.class, Pointer.class, CFStringRef.class),
                "SCNetworkInterfaceCopyAll", sig(CFArrayRef.class),
                "SCNetworkInterfaceGetBSDName", sig(CFStringRef.class, Pointer.class),
                "SCNetworkInterfaceGetInterfaceType", sig(CFStringRef.class, Pointer.class),
                "SCNetworkInterfaceGetLocalizedDisplayName",
                    sig(CFStringRef.class, Pointer.class)));
  }

  @Test
  void ourCoreGraphicsMappingMatchesTheHeader() {
    assertThat(declared(CoreGraphicsEvents.class))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "CGEventSourceSecondsSinceLastEventType", sig(double.class, int.class, int.class)));
    assertThat(CoreGraphicsEvents.HID_SYSTEM_STATE).isEqualTo(1);
    assertThat(CoreGraphicsEvents.ANY_INPUT_EVENT).isEqualTo(~0);
  }

  @Test
  void everyTypeInOurMappingsIsOneJnaMarshals() {
    for (Class<?> library :
        List.of(
            IOKitPowerManagement.class,
            SystemConfigurationLibrary.class,
            CoreGraphicsEvents.class)) {
      assertThat(Library.class).isAssignableFrom(library);
      declared(library)
          .forEach(
              (name, types) ->
                  assertThat(types)
                      .as(library.getSimpleName() + "." + name)
                      .allSatisfy(t -> assertThat(marshallable(t)).as(t.getName()).isTrue()));
    }
  }

  private static boolean marshallable(Class<?> t) {
    return t.isPrimitive()
        || t == String.class
        || Pointer.class.isAssignableFrom(t)
        || PointerType.class.isAssignableFrom(t)
        || ByReference.class.isAssignableFrom(t)
        || Structure.class.isAssignableFrom(t);
  }

  @Test
  void jnaPlatformStillMapsWhatWeCallWithTheTypesWeExpect() throws Exception {
    Method info = IOKit.class.getMethod("IOPSCopyPowerSourcesInfo");
    assertThat(info.getReturnType()).isEqualTo(CFTypeRef.class);
    // Our providing-type call takes exactly what jna-platform's IOPSCopyPowerSourcesInfo returns.
    assertThat(
            IOKitPowerManagement.class.getMethod("IOPSGetProvidingPowerSourceType", CFTypeRef.class)
                .getParameterTypes()[0])
        .isEqualTo(info.getReturnType());
    assertThat(IOKit.class.getMethod("IOPSCopyPowerSourcesList", CFTypeRef.class).getReturnType())
        .isEqualTo(CFArrayRef.class);
    assertThat(
            IOKit.class
                .getMethod("IOPSGetPowerSourceDescription", CFTypeRef.class, CFTypeRef.class)
                .getReturnType())
        .isEqualTo(CFDictionaryRef.class);
    assertThat(
            SystemB.class
                .getMethod(
                    "host_statistics", int.class, int.class, Structure.class, IntByReference.class)
                .getReturnType())
        .isEqualTo(int.class);
    assertThat(SystemB.class.getMethod("mach_host_self").getReturnType()).isEqualTo(int.class);
    assertThat(SystemB.HostCpuLoadInfo.class.getField("cpu_ticks").getType())
        .isEqualTo(int[].class);
    assertThat(IOKitUtil.class.getMethod("getMatchingService", String.class).getReturnType())
        .isEqualTo(IOKit.IOService.class);
    assertThat(
            IOKit.IORegistryEntry.class
                .getMethod("createCFProperty", CFStringRef.class)
                .getReturnType())
        .isEqualTo(CFTypeRef.class);
    assertThat(CFStringRef.class.getMethod("createCFString", String.class).getReturnType())
        .isEqualTo(CFStringRef.class);
    assertThat(CFTypeRef.class.getMethod("isTypeID", CoreFoundation.CFTypeID.class).getReturnType())
        .isEqualTo(boolean.class);
    assertThat(
            CoreFoundation.class
                .getMethod("CFNumberGetType", CoreFoundation.CFNumberRef.class)
                .getReturnType())
        .isEqualTo(CoreFoundation.CFIndex.class);
    assertThat(
            Arrays.stream(CFDictionaryRef.class.getMethods())
                .anyMatch(m -> m.getName().equals("getValue")))
        .isTrue();
  }

  @Test
  void powerSourceKeysAreThoseOfIoPsKeys() {
    assertThat(JnaMacSystem.POWER_SOURCE_KEYS)
        .contains(
            "Name",
            "Type",
            "Power Source State",
            "Current Capacity",
            "Max Capacity",
            "Is Present",
            "Is Charging");
  }
}
