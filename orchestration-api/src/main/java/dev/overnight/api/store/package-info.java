/** Stores: where the queue and the scheduler's state persist, and the SPI that opens one. */
package dev.overnight.api.store;
