/**
 * What every relational store of Overnight writes the same way, whatever its database: the JSON
 * text of a task's metadata and of a cycle's notes in their columns. Kept here so the SQLite and
 * PostgreSQL stores, which may not depend on each other, store equal values as equal text.
 */
package dev.overnight.core.store;
