/**
 * The diagnostics behind {@code overnight doctor}, one {@link
 * dev.overnight.core.doctor.internal.DoctorCheck} per concern, and the {@link
 * dev.overnight.core.doctor.internal.Findings} they fill. Not exported: users run them through
 * {@link dev.overnight.core.doctor.Doctor}.
 */
package dev.overnight.core.doctor.internal;
