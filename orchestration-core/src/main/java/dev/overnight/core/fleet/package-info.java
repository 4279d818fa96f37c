/**
 * This machine as a worker of a fleet: its stable id, its labels, and the record of its state that
 * the other machines read.
 */
package dev.overnight.core.fleet;
