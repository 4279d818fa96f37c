// Checks Nostr events with nostr-tools, as any other client would: reads a JSON array of events
// on standard input and prints one line per event, "valid ID" or "invalid ID".
import { verifyEvent } from 'nostr-tools';

let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  for (const event of JSON.parse(input)) {
    console.log((verifyEvent(event) ? 'valid ' : 'invalid ') + event.id);
  }
});
