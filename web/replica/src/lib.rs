//! The assistant's replica (`microcos_core::Replica`) for the browser.
//!
//! The web app keeps one [`Replica`] per signed-in user, fed with every frame
//! of its stream. Events the user makes go through [`Replica::propose`]: the
//! same validation and rules as on the server, applied at once (the
//! optimistic update); the view is always the confirmed state plus what is
//! still pending, so when the stored events arrive it is the server's state
//! by construction. Strings in, strings out (JSON), so the JavaScript side
//! needs no glue beyond `JSON.parse`.
//!
//! ```js
//! import init, { Replica } from "./pkg/microcos_web.js";
//! await init();
//! const replica = new Replica("alice");
//! socket.onmessage = (m) => JSON.parse(replica.frame(m.data)).gap && reconnect(replica.cursorQuery());
//! replica.propose(JSON.stringify({ type: "task.created", payload: { title: "Call Ann" },
//!   client_action_id: id, event_id: crypto.randomUUID() }), Date.now());
//! render(JSON.parse(replica.viewJson(Date.now())));
//! ```
//!
//! It is [`microcos_web_replica::replica!`] of the assistant: the same
//! template any domain's replica is built from (`examples/triage-web` is
//! triage's). Every method is a thin wrapper over [`Core`], which native
//! tests drive.

#![no_std]

use microcos_assistant::Assistant;

/// The replica, in plain Rust (what [`Replica`] wraps), of the assistant.
pub type Core = microcos_web_replica::Core<Assistant>;

microcos_web_replica::replica!(Replica, Assistant);
