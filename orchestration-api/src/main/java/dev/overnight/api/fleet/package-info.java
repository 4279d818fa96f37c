/**
 * The fleet: the machines that share one queue, each a worker with a stable id, labels saying what
 * it can run, and a state the others can read.
 */
package dev.overnight.api.fleet;
