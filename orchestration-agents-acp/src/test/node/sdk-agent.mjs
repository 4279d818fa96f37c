// A small ACP agent on the official TypeScript SDK (@agentclientprotocol/sdk), used by the Java
// client's tests as a real peer: the SDK validates every message the client sends it.
//
// The prompt text picks the behaviour:
//   "wait"    - streams a thought, then waits for session/cancel and stops "cancelled";
//   "fail"    - answers the prompt with Claude's usage-limit error shape;
//   "outside" - asks to read /etc/passwd and reports what the client answered;
//   "bogus"   - calls a method the client does not have and reports the error;
//   anything else - a full turn: thought, plan, tool call, permission, write, read, terminal,
//                   tool call update with a diff, message, usage, end_turn.
import { agent, methods, ndJsonStream, RequestError } from "@agentclientprotocol/sdk";
import { Readable, Writable } from "node:stream";

const sessions = new Map();
const app = agent({ name: "sdk-test-agent" });

app.onRequest(methods.agent.initialize, () => ({
  protocolVersion: 1,
  agentCapabilities: {
    loadSession: false,
    promptCapabilities: { image: false, audio: false, embeddedContext: true },
  },
  agentInfo: { name: "sdk-test-agent", title: "SDK test agent", version: "1.0.0" },
  authMethods: [],
}));

app.onRequest(methods.agent.session.new, ({ params }) => {
  const sessionId = `sdk-${sessions.size + 1}`;
  sessions.set(sessionId, { cwd: params.cwd, mode: "default", cancel: null });
  return {
    sessionId,
    modes: {
      currentModeId: "default",
      availableModes: [
        { id: "default", name: "Default" },
        { id: "plan", name: "Plan", description: "Plan first" },
      ],
    },
  };
});

app.onRequest(methods.agent.session.setMode, async ({ params, client }) => {
  sessions.get(params.sessionId).mode = params.modeId;
  await client.notify(methods.client.session.update, {
    sessionId: params.sessionId,
    update: { sessionUpdate: "current_mode_update", currentModeId: params.modeId },
  });
  return {};
});

app.onNotification(methods.agent.session.cancel, ({ params }) => {
  const s = sessions.get(params.sessionId);
  if (s && s.cancel) s.cancel();
});

app.onRequest(methods.agent.session.prompt, async ({ params, client }) => {
  const sessionId = params.sessionId;
  const s = sessions.get(sessionId);
  const text = params.prompt.map((b) => (b.type === "text" ? b.text : "")).join("");
  const update = (u) => client.notify(methods.client.session.update, { sessionId, update: u });
  const say = (t) => update({ sessionUpdate: "agent_message_chunk", content: { type: "text", text: t } });

  if (text === "wait") {
    await update({ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: "waiting" } });
    await new Promise((resolve) => (s.cancel = resolve));
    return { stopReason: "cancelled" };
  }
  if (text === "fail") {
    throw RequestError.internalError({ errorKind: "rate_limit" }, "You've hit your limit · resets 5am (UTC)");
  }
  if (text === "outside") {
    try {
      await client.request(methods.client.fs.readTextFile, { sessionId, path: "/etc/passwd" });
      await say("read /etc/passwd succeeded");
    } catch (e) {
      await say(`refused ${e.code}: ${e.message}`);
    }
    return { stopReason: "end_turn" };
  }
  if (text === "bogus") {
    try {
      await client.request("_sdk/unknown_method", { sessionId });
      await say("unknown method succeeded");
    } catch (e) {
      await say(`error ${e.code}`);
    }
    return { stopReason: "end_turn" };
  }

  const path = `${s.cwd}/echo.txt`;
  await update({ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: `thinking about: ${text}` } });
  await update({
    sessionUpdate: "plan",
    entries: [{ content: "echo the prompt", priority: "high", status: "in_progress" }],
  });
  await update({
    sessionUpdate: "tool_call",
    toolCallId: "call_1",
    title: "Write echo.txt",
    kind: "edit",
    status: "pending",
    locations: [{ path }],
  });
  const permission = await client.request(methods.client.session.requestPermission, {
    sessionId,
    toolCall: { toolCallId: "call_1", title: "Write echo.txt", kind: "edit", status: "pending", locations: [{ path }] },
    options: [
      { optionId: "always", name: "Always allow", kind: "allow_always" },
      { optionId: "allow", name: "Allow", kind: "allow_once" },
      { optionId: "reject", name: "Reject", kind: "reject_once" },
    ],
  });
  if (permission.outcome.outcome !== "selected" || permission.outcome.optionId !== "allow") {
    await say(`permission: ${JSON.stringify(permission.outcome)}`);
    return { stopReason: "end_turn" };
  }
  await client.request(methods.client.fs.writeTextFile, { sessionId, path, content: text });
  const read = await client.request(methods.client.fs.readTextFile, { sessionId, path, line: 1, limit: 10 });
  const terminal = await client.createTerminal({
    sessionId,
    command: "sh",
    args: ["-c", "echo from-terminal; exit 3"],
    outputByteLimit: 10000,
  });
  const exit = await terminal.waitForExit();
  const output = await terminal.currentOutput();
  await terminal.release();
  await update({
    sessionUpdate: "tool_call_update",
    toolCallId: "call_1",
    status: "completed",
    content: [{ type: "diff", path, oldText: null, newText: text }],
  });
  await update({ sessionUpdate: "usage_update", used: 1234, size: 200000, cost: { amount: 0.5, currency: "USD" } });
  await say(`Echo: ${read.content} | terminal: ${output.output.trim()} exit ${exit.exitCode}`);
  return { stopReason: "end_turn" };
});

app.connect(ndJsonStream(Writable.toWeb(process.stdout), Readable.toWeb(process.stdin)));
