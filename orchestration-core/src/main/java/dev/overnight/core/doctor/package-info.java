/**
 * {@code overnight doctor}: one report of everything a new machine needs, detailed enough to
 * diagnose from a pasted copy — each constraint checker's answer and which provider gave it, keep
 * awake, agents, git and gh, the state folder and database.
 */
package dev.overnight.core.doctor;
