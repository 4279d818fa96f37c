// NIP-19 as nostr-tools does it, for comparing with Overnight's codec. Reads one JSON request on
// standard input: {"encode": {identifier, pubkey, kind, relays}} prints the naddr;
// {"decode": "naddr1..."} prints the decoded address as JSON.
import { nip19 } from 'nostr-tools';

let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  if (request.encode) {
    console.log(nip19.naddrEncode(request.encode));
  } else {
    const decoded = nip19.decode(request.decode);
    console.log(JSON.stringify({ type: decoded.type, ...decoded.data }));
  }
});
