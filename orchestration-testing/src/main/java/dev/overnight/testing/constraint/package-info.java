/**
 * The compatibility kit every {@link dev.overnight.api.constraint.ConstraintCheckerProvider} runs:
 * extend {@link dev.overnight.testing.constraint.ConstraintCheckerCompatibilityKit} in a test.
 */
package dev.overnight.testing.constraint;
