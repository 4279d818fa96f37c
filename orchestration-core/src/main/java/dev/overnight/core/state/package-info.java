/** Where the scheduler keeps its memory when no persistent store is configured. */
package dev.overnight.core.state;
