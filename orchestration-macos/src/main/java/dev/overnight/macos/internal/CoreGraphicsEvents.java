package dev.overnight.macos.internal;

import com.sun.jna.Library;

/**
 * {@code CGEventSourceSecondsSinceLastEventType}, absent from jna-platform's {@code CoreGraphics}.
 * Loaded only through {@link MacLibraries}, on macOS.
 */
public interface CoreGraphicsEvents extends Library {
  /** {@code kCGEventSourceStateHIDSystemState}. */
  int HID_SYSTEM_STATE = 1;

  /** {@code kCGAnyInputEventType} ({@code ~0}). */
  int ANY_INPUT_EVENT = 0xFFFFFFFF;

  /** {@code CFTimeInterval CGEventSourceSecondsSinceLastEventType(stateID, eventType)}. */
  double CGEventSourceSecondsSinceLastEventType(int sourceStateId, int eventType);
}
