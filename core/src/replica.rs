//! [`Replica`]: a client's copy of one user's state, for optimistic updates.

use alloc::vec::Vec;

use crate::domain::Domain;
use crate::error::Rejection;
use crate::event::Envelope;
use crate::frame::{Cursor, Delivery, Frame, Gap};
use crate::ids::{ClientActionId, EventId, Timestamp, UserId};
use crate::machine::{Config, Machine, RequestMeta};
use crate::state::State;
use crate::validate::ClientRequest;
use crate::view::{self, SnapshotView};

/// A client's copy of one user's state: confirmed events and pending ones.
///
/// A client (the web app, through wasm) keeps a replica fed with the frames
/// of its stream. The replica holds two things:
///
/// - the **confirmed** state: the stored events folded in by the same
///   reducer as the server's, so it is the server's state at that seq, byte
///   for byte. `progress` frames are rebuilt into the stored checkpoint they
///   stand for from the tokens already received (same id, same tokens, the
///   frame's time), so no text travels twice;
/// - the **pending** events: what the client proposed and the server has not
///   stored yet. [`Replica::propose`] runs the same validation and rules
///   ([`Domain::decide`]) as the server against the confirmed state plus what
///   is pending, and applies the event at once.
///
/// What a client shows ([`Replica::view`]) is always rebuilt from the
/// confirmed state plus the pending events, in order. When the stored event
/// arrives its pending copy is dropped; when the server refuses it,
/// [`Replica::reject`] drops it. Either way the view is the server's state
/// plus what is still in flight, by construction: there is no merge.
///
/// The replica keeps the resume [`Cursor`] of its stream, so a client that
/// reconnects gets exactly what it missed.
#[derive(Clone, Debug)]
pub struct Replica<D: Domain> {
    confirmed: Machine<D>,
    cursor: Cursor,
    pending: Vec<Envelope<D::Event>>,
    /// Confirmed plus pending, while anything is pending.
    speculative: Option<Machine<D>>,
}

/// What a frame did to a [`Replica`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Received {
    /// The frame was new (not a duplicate of one already applied).
    pub new: bool,
    /// Pending events that are now stored (by their event id).
    pub confirmed: Vec<EventId>,
}

impl<D: Domain> Replica<D> {
    /// An empty replica (subscribe from seq 0).
    pub fn new(user: UserId, config: Config, domain: D) -> Self {
        Self::from_state(user, config, domain, State::default())
    }

    /// A replica resuming from a state it kept ([`Replica::state`], as its
    /// JSON): it subscribes after that state's seq.
    pub fn from_state(user: UserId, config: Config, domain: D, state: State<D>) -> Self {
        let cursor = Cursor::after(state.seq);
        Replica {
            confirmed: Machine::from_state(user, config, domain, state),
            cursor,
            pending: Vec::new(),
            speculative: None,
        }
    }

    /// The confirmed state: the server's state at [`Cursor::after`].
    pub fn state(&self) -> &State<D> {
        self.confirmed.state()
    }

    /// The domain.
    pub fn domain(&self) -> &D {
        self.confirmed.domain()
    }

    /// Where to resume the stream.
    pub fn cursor(&self) -> &Cursor {
        &self.cursor
    }

    /// The pending events, in the order they were proposed.
    pub fn pending(&self) -> &[Envelope<D::Event>] {
        &self.pending
    }

    /// Folds in one frame of the stream. `Err(Gap)`: a frame was lost before
    /// this one (or the tokens a `progress` frame covers never arrived); the
    /// replica is unchanged: reconnect with [`Replica::cursor`].
    pub fn receive(&mut self, frame: &Frame<D::Event>) -> Result<Received, Gap> {
        let mut cursor = self.cursor.clone();
        if cursor.accept(frame)? == Delivery::Duplicate {
            return Ok(Received::default());
        }
        let mut received = Received { new: true, confirmed: Vec::new() };
        match frame {
            Frame::Token { operation_id, attempt, index, text, .. } => {
                self.confirmed.receive_token(*operation_id, *attempt, *index, text);
                if let Some(s) = &mut self.speculative {
                    s.receive_token(*operation_id, *attempt, *index, text);
                }
                self.cursor = cursor;
                return Ok(received);
            }
            Frame::Progress { .. } => {
                // Unchanged when it fails: the tokens it covers are missing.
                let env = self.confirmed.rebuild_progress(frame).ok_or(Gap)?;
                self.confirmed.apply(&env);
            }
            Frame::Event { event, .. } => {
                self.confirmed.apply(event);
                self.pending.retain(|p| {
                    let same = p.event_id == event.event_id
                        || (p.client_action_id.is_some() && p.client_action_id == event.client_action_id);
                    if same {
                        received.confirmed.push(p.event_id);
                    }
                    !same
                });
            }
        }
        self.cursor = cursor;
        self.rebuild();
        Ok(received)
    }

    /// Proposes a client event: checked by the same validation and rules as
    /// on the server, against the confirmed state plus what is pending, and
    /// applied at once. `meta` carries the ids and time the client chose (use
    /// the same `event_id` in the request you send, so that the stored event
    /// confirms this one). Proposing the same event id or client action id
    /// again changes nothing.
    pub fn propose(&mut self, request: ClientRequest<D::Event>, meta: RequestMeta) -> Result<EventId, Rejection> {
        let event_id = request.event_id.unwrap_or(meta.event_id);
        let known = |p: &Envelope<D::Event>| {
            p.event_id == event_id
                || (request.client_action_id.is_some() && p.client_action_id == request.client_action_id)
        };
        if let Some(p) = self.pending.iter().find(|p| known(p)) {
            return Ok(p.event_id);
        }
        let view = self.speculative.get_or_insert_with(|| self.confirmed.clone());
        if let Some(ca) = &request.client_action_id {
            if view.known_action(ca).is_some() {
                return Ok(event_id); // already stored: the server answers it as a duplicate
            }
        }
        let mut env = view.envelope(request, meta);
        view.decide(&env)?;
        env.seq = view.state().seq.next();
        view.apply(&env);
        self.pending.push(env);
        Ok(event_id)
    }

    /// The server refused pending event `event_id`: drop it (and rebuild
    /// the view without it). False if it was not pending.
    pub fn reject(&mut self, event_id: EventId) -> bool {
        self.drop_pending(|p| p.event_id == event_id)
    }

    /// [`Replica::reject`] by client action id.
    pub fn reject_action(&mut self, id: &ClientActionId) -> bool {
        self.drop_pending(|p| p.client_action_id.as_ref() == Some(id))
    }

    fn drop_pending(&mut self, which: impl Fn(&Envelope<D::Event>) -> bool) -> bool {
        let before = self.pending.len();
        self.pending.retain(|p| !which(p));
        let dropped = self.pending.len() != before;
        if dropped {
            self.rebuild();
        }
        dropped
    }

    /// The confirmed state plus the pending events, as the server's
    /// `GET /v1/snapshot` shows a state (operations with their partial text).
    pub fn view(&self, now: Timestamp) -> SnapshotView<'_, D> {
        view::snapshot(self.speculative.as_ref().unwrap_or(&self.confirmed), now)
    }

    /// Rebuilds the speculative state: confirmed, then each pending event
    /// in order (one that no longer applies changes nothing, as in replay).
    fn rebuild(&mut self) {
        if self.pending.is_empty() {
            self.speculative = None;
            return;
        }
        let mut view = self.confirmed.clone();
        for p in &mut self.pending {
            p.seq = view.state().seq.next();
            view.apply(p);
        }
        self.speculative = Some(view);
    }
}
