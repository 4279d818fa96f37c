// A real Nostr relay for Overnight's tests: @nostr-relay/core (which checks every event's id and
// signature) over a ws server, events kept in memory; nostr-tools checks every event too. Prints
// "listening PORT" once it accepts connections, then runs until killed.
//
// Usage: node relay.mjs MODE [MAX_PAYLOAD_BYTES]
//   relay    the real relay
//   garbage  answers every message with text that is not a Nostr message
//   forged   a relay that lies: it stores what it is sent unchecked, and serves every event with
//            another signature in place of its author's
import { WebSocketServer } from 'ws';
import { NostrRelay } from '@nostr-relay/core';
import { EventRepository } from '@nostr-relay/common';
import { matchFilter, verifyEvent } from 'nostr-tools';

const mode = process.argv[2] ?? 'relay';
const maxPayload = Number(process.argv[3] ?? 1024 * 1024);

class MemoryRepository extends EventRepository {
  events = [];
  isSearchSupported() {
    return false;
  }
  upsert(event) {
    if (this.events.some((e) => e.id === event.id)) {
      return { isDuplicate: true };
    }
    if (event.kind >= 30000 && event.kind < 40000) {
      const d = (event.tags.find((t) => t[0] === 'd') ?? [])[1] ?? '';
      const same = (e) =>
        e.kind === event.kind &&
        e.pubkey === event.pubkey &&
        ((e.tags.find((t) => t[0] === 'd') ?? [])[1] ?? '') === d;
      const older = this.events.find(same);
      if (older && older.created_at > event.created_at) {
        return { isDuplicate: true };
      }
      this.events = this.events.filter((e) => !same(e));
    }
    this.events.push(event);
    return { isDuplicate: false };
  }
  find(filter) {
    const found = this.events
      .filter((e) => matchFilter(filter, e))
      .sort((a, b) => b.created_at - a.created_at);
    return filter.limit ? found.slice(0, filter.limit) : found;
  }
  async destroy() {}
}

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload });
const stored = [];
const relay = mode === 'relay' ? new NostrRelay(new MemoryRepository(), { logLevel: 3 }) : null;

wss.on('connection', (ws) => {
  relay?.handleConnection(ws);
  ws.on('message', async (data) => {
    if (mode === 'garbage') {
      ws.send('<html>502 Bad Gateway</html>');
      return;
    }
    let message;
    try {
      message = JSON.parse(data.toString());
    } catch {
      ws.send(JSON.stringify(['NOTICE', 'error: not JSON']));
      return;
    }
    if (mode === 'relay') {
      // Every event published here is also checked by nostr-tools, as other clients check it.
      if (message[0] === 'EVENT' && !verifyEvent(message[1])) {
        ws.send(JSON.stringify(['OK', message[1]?.id, false, 'invalid: nostr-tools refused it']));
        return;
      }
      await relay.handleMessage(ws, message);
      return;
    }
    // forged
    if (message[0] === 'EVENT') {
      stored.push(message[1]);
      ws.send(JSON.stringify(['OK', message[1].id, true, '']));
    } else if (message[0] === 'REQ') {
      for (const event of stored) {
        const sig = event.sig.slice(0, -1) + (event.sig.endsWith('0') ? '1' : '0');
        ws.send(JSON.stringify(['EVENT', message[1], { ...event, sig }]));
      }
      ws.send(JSON.stringify(['EOSE', message[1]]));
    }
  });
  ws.on('close', () => relay?.handleDisconnect(ws));
});

wss.on('listening', () => {
  console.log('listening ' + wss.address().port);
});
