/**
 * The bedtime rehearsal: checks, in the environment the installed service will have, everything a
 * night needs, without prompting any agent; see {@link dev.overnight.core.rehearsal.Rehearsal}.
 */
package dev.overnight.core.rehearsal;
