// Baseline for the ACP benchmark: the official TypeScript SDK's client reading a recorded agent
// stream (newline-delimited JSON-RPC) and dispatching every session/update to a handler.
//
//   node ts-sdk-client.mjs STREAM_FILE EXPECTED_UPDATES ROUNDS
//
// Prints one JSON line per round: {"round":n,"updates":count,"ms":elapsed}.
import { client, methods, ndJsonStream } from "@agentclientprotocol/sdk";
import { readFileSync } from "node:fs";

const [file, expectedText, roundsText] = process.argv.slice(2);
const bytes = readFileSync(file);
const expected = Number(expectedText);
const rounds = Number(roundsText ?? "5");
const CHUNK = 64 * 1024;

async function round(n) {
  let count = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const app = client({ name: "benchmark-client" }).onNotification(
    methods.client.session.update,
    () => {
      count++;
      if (count === expected) done();
    },
  );
  let offset = 0;
  const input = new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset + offset, Math.min(CHUNK, bytes.length - offset)));
      offset += CHUNK;
    },
  });
  const output = new WritableStream({ write() {} });
  const start = process.hrtime.bigint();
  const connection = app.connect(ndJsonStream(output, input));
  await finished;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  connection.close();
  console.log(JSON.stringify({ round: n, updates: count, ms }));
}

for (let i = 1; i <= rounds; i++) {
  await round(i);
}
process.exit(0);
