/**
 * Overnight's JSON: the one configured Jackson mapper every module uses, and the one canonical
 * shape of each entity (task, task event, session event, cycle record, scheduler and coordinator
 * events, decision, morning report) that the CLI's {@code --json} output, the HTTP API, the
 * WebSocket stream and the report all share. The shapes are published as JSON Schemas in {@code
 * docs/schema/}.
 */
package dev.overnight.core.json;
