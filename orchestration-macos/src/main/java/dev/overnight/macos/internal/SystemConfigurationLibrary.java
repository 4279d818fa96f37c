package dev.overnight.macos.internal;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.platform.mac.CoreFoundation.CFAllocatorRef;
import com.sun.jna.platform.mac.CoreFoundation.CFArrayRef;
import com.sun.jna.platform.mac.CoreFoundation.CFStringRef;
import com.sun.jna.platform.mac.CoreFoundation.CFTypeRef;

/**
 * The SystemConfiguration functions Overnight needs (not in jna-platform). Loaded only through
 * {@link MacLibraries}, on macOS. {@code Create}/{@code Copy} results are released by the caller;
 * {@code Get} results are not.
 */
public interface SystemConfigurationLibrary extends Library {

  /** {@code SCDynamicStoreRef SCDynamicStoreCreate(alloc, name, callout, context)}. */
  Pointer SCDynamicStoreCreate(
      CFAllocatorRef allocator, CFStringRef name, Pointer callout, Pointer context);

  /** {@code CFPropertyListRef SCDynamicStoreCopyValue(store, key)}; null when the key is absent. */
  CFTypeRef SCDynamicStoreCopyValue(Pointer store, CFStringRef key);

  /** {@code CFArrayRef SCNetworkInterfaceCopyAll(void)}. */
  CFArrayRef SCNetworkInterfaceCopyAll();

  /** {@code CFStringRef SCNetworkInterfaceGetBSDName(SCNetworkInterfaceRef)}. */
  CFStringRef SCNetworkInterfaceGetBSDName(Pointer networkInterface);

  /** {@code CFStringRef SCNetworkInterfaceGetInterfaceType(SCNetworkInterfaceRef)}. */
  CFStringRef SCNetworkInterfaceGetInterfaceType(Pointer networkInterface);

  /** {@code CFStringRef SCNetworkInterfaceGetLocalizedDisplayName(SCNetworkInterfaceRef)}. */
  CFStringRef SCNetworkInterfaceGetLocalizedDisplayName(Pointer networkInterface);
}
