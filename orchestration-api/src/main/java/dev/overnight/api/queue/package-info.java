/**
 * The persistent task queue: where a night's work lives, with atomic claims, leases, retries and an
 * event history for every task.
 */
package dev.overnight.api.queue;
