// The triage client's generated Zod schema (schemas.ts) against the bodies
// the triage service takes and refuses. `tsc --noEmit -p
// examples/triage/client` type-checks it (the @ts-expect-error lines must
// stay type errors); `node web/client/test/run-ts.mjs
// examples/triage/client/test.ts` runs it.

import { ClientEvent, TicketOpened } from "./schemas.js";

let checks = 0;
function check(what: string, ok: boolean, detail?: unknown): void {
  checks++;
  if (!ok) throw new Error(`FAIL ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
}

const eventId = "6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e6f";
const opened: ClientEvent = {
  type: "ticket.opened",
  payload: { subject: "Site is down", body: "Nothing loads since 9:00." },
  client_action_id: "ca-1",
  event_id: eventId,
};

// A valid event parses, and its type narrows on `type`.
const parsed = ClientEvent.safeParse(opened);
check("a ticket.opened parses", parsed.success, parsed.error?.issues);
if (parsed.success && parsed.data.type === "ticket.opened") {
  check("its payload is typed", parsed.data.payload.subject === "Site is down");
}
const closed = ClientEvent.safeParse({ type: "ticket.closed", payload: { ticket_id: eventId } });
check("a ticket.closed parses", closed.success, closed.error?.issues);
// maxLength counts characters, as the service does: 200 astral characters
// (400 UTF-16 units) are a valid subject, 201 are not.
check("200 characters fit", TicketOpened.safeParse({ subject: "🔥".repeat(200), body: "b" }).success);

// Invalid events are refused, each for its own reason.
const refused: [string, unknown][] = [
  ["a system event (ticket.triaged)", { type: "ticket.triaged", payload: { ticket_id: eventId } }],
  ["an unknown type", { type: "ticket.reopened", payload: { ticket_id: eventId } }],
  ["a missing body", { type: "ticket.opened", payload: { subject: "Help" } }],
  ["an unknown payload field", { type: "ticket.opened", payload: { subject: "Help", body: "b", urgent: true } }],
  ["an unknown top-level field", { ...opened, priority: "urgent" }],
  ["a ticket id that is not a UUID", { type: "ticket.closed", payload: { ticket_id: "42" } }],
  ["a malformed client_action_id", { ...opened, client_action_id: "no spaces allowed" }],
];
for (const [what, body] of refused) check(`${what} is refused`, !ClientEvent.safeParse(body).success, body);
const long = ClientEvent.safeParse({ ...opened, payload: { subject: "x".repeat(201), body: "b" } });
check("a subject of 201 characters is refused", !long.success);
check(
  "with the service's error code, at payload.subject",
  !long.success &&
    long.error.issues.some((i) => i.path.join(".") === "payload.subject" && (i as { params?: { code?: string } }).params?.code === "too_long"),
  long.error?.issues,
);

// The types refuse what the schema refuses (checked by tsc, not run).
// @ts-expect-error: ticket.triaged is not a client event
const _system: ClientEvent = { type: "ticket.triaged", payload: { ticket_id: eventId } };
// @ts-expect-error: a ticket.opened needs its body
const _noBody: ClientEvent = { type: "ticket.opened", payload: { subject: "Help" } };
void _system;
void _noBody;

console.log(`triage client: ${checks} checks passed`);
