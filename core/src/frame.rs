//! Realtime frames pushed to subscribers, and the resume cursor.

use alloc::collections::BTreeMap;
use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::event::{Catalogue, Envelope, Event};
use crate::ids::{EventId, OperationId, Seq, Timestamp};
use crate::operation::{LlmEvent, LlmEventType};

/// A frame pushed to a subscriber.
///
/// Three frames, each self-identifying so a client can dedupe on its own:
///
/// - `{"frame":"event","seq":S,"event":{…envelope…}}` for stored events;
/// - `{"frame":"token","after":S,"operation_id":O,"attempt":A,"index":I,"text":"…"}`
///   for each generated token, pushed at once (`after`: the last stored
///   event before it);
/// - `{"frame":"progress","seq":S,…,"through_index":I}` for a stored
///   `llm.checkpoint` / `llm.completed`: it advances `seq`, and its tokens
///   reach the client as `token` frames exactly once.
///
/// A client that reconnects sends a [`Cursor`]: the last `seq` it saw and, for
/// each operation it was receiving, the attempt and the next token index it
/// expects. It then gets exactly what it missed ([`crate::Engine::subscribe`]).
/// An `event` frame of type `llm.started` means: a (new) attempt begins, drop
/// the text of earlier attempts of that operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "frame", rename_all = "snake_case", bound = "E: Catalogue")]
pub enum Frame<E> {
    /// A stored event.
    Event {
        /// Its seq.
        seq: Seq,
        /// The event.
        event: Envelope<E>,
    },
    /// A stored checkpoint or completion whose tokens were sent as `token` frames.
    Progress {
        /// Its seq.
        seq: Seq,
        /// Its id.
        event_id: EventId,
        /// `llm.checkpoint` or `llm.completed`.
        #[serde(rename = "type")]
        event_type: LlmEventType,
        /// When it was stored (a replica rebuilds the stored event exactly).
        timestamp: Timestamp,
        /// The operation.
        operation_id: OperationId,
        /// The attempt.
        attempt: u32,
        /// Tokens `0..through_index` of the attempt are now stored.
        through_index: u32,
    },
    /// One generated token.
    Token {
        /// The last stored event before this token: a client whose cursor is
        /// behind it has lost a frame.
        after: Seq,
        /// The operation.
        operation_id: OperationId,
        /// The attempt.
        attempt: u32,
        /// Index within the attempt.
        index: u32,
        /// Text.
        text: String,
    },
}

impl<E: Catalogue> Frame<E> {
    /// The seq this frame advances a client to, if it is a stored event.
    pub fn seq(&self) -> Option<Seq> {
        match self {
            Frame::Event { seq, .. } | Frame::Progress { seq, .. } => Some(*seq),
            Frame::Token { .. } => None,
        }
    }

    /// Compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a frame as [`Frame::to_json`] writes it (what a client or a
    /// replica receives). Unknown members are ignored.
    pub fn from_json(s: &str) -> Result<Frame<E>, serde_json::Error> {
        use serde::de::Error;
        let w: WireFrame<E> = serde_json::from_str(s)?;
        let missing = |name| serde_json::Error::missing_field(name);
        Ok(match w.frame {
            FrameKind::Event => Frame::Event {
                seq: w.seq.ok_or_else(|| missing("seq"))?,
                event: w.event.ok_or_else(|| missing("event"))?,
            },
            FrameKind::Progress => Frame::Progress {
                seq: w.seq.ok_or_else(|| missing("seq"))?,
                event_id: w.event_id.ok_or_else(|| missing("event_id"))?,
                event_type: match w.event_type.as_deref().map(<LlmEventType as crate::event::EventKind>::parse) {
                    Some(Some(t @ (LlmEventType::Checkpoint | LlmEventType::Completed))) => t,
                    Some(_) => return Err(serde_json::Error::custom("type: expected llm.checkpoint or llm.completed")),
                    None => return Err(missing("type")),
                },
                timestamp: w.timestamp.ok_or_else(|| missing("timestamp"))?,
                operation_id: w.operation_id.ok_or_else(|| missing("operation_id"))?,
                attempt: w.attempt.ok_or_else(|| missing("attempt"))?,
                through_index: w.through_index.ok_or_else(|| missing("through_index"))?,
            },
            FrameKind::Token => Frame::Token {
                after: w.after.ok_or_else(|| missing("after"))?,
                operation_id: w.operation_id.ok_or_else(|| missing("operation_id"))?,
                attempt: w.attempt.ok_or_else(|| missing("attempt"))?,
                index: w.index.ok_or_else(|| missing("index"))?,
                text: w.text.ok_or_else(|| missing("text"))?,
            },
        })
    }

    /// The live frame for a stored event (tokens of checkpoints were pushed already).
    pub fn for_stored(env: &Envelope<E>) -> Frame<E> {
        match (&env.event, env.operation_id) {
            (Event::Llm(LlmEvent::Checkpoint(p)), Some(op)) => {
                progress(env, LlmEventType::Checkpoint, op, p.attempt, p.from_index + p.tokens.len() as u32)
            }
            (Event::Llm(LlmEvent::Completed(p)), Some(op)) => {
                progress(env, LlmEventType::Completed, op, p.attempt, p.from_index + p.tokens.len() as u32)
            }
            _ => Frame::Event { seq: env.seq, event: env.clone() },
        }
    }
}

fn progress<E>(env: &Envelope<E>, ty: LlmEventType, op: OperationId, attempt: u32, through_index: u32) -> Frame<E> {
    Frame::Progress {
        seq: env.seq,
        event_id: env.event_id,
        event_type: ty,
        timestamp: env.timestamp,
        operation_id: op,
        attempt,
        through_index,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum FrameKind {
    Event,
    Progress,
    Token,
}

/// Every member any frame has; [`Frame::from_json`] checks which it needs.
#[derive(Deserialize)]
#[serde(bound = "E: Catalogue")]
struct WireFrame<E> {
    frame: FrameKind,
    seq: Option<Seq>,
    event: Option<Envelope<E>>,
    event_id: Option<EventId>,
    #[serde(rename = "type")]
    event_type: Option<String>,
    timestamp: Option<Timestamp>,
    operation_id: Option<OperationId>,
    attempt: Option<u32>,
    through_index: Option<u32>,
    after: Option<Seq>,
    index: Option<u32>,
    text: Option<String>,
}

/// Where a subscriber resumes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Last seq received (0: from the beginning).
    pub after: Seq,
    /// Per operation: the attempt and the next token index the client expects.
    pub tokens: BTreeMap<OperationId, (u32, u32)>,
}

impl Cursor {
    /// A cursor after `seq`, with no token progress.
    pub fn after(seq: Seq) -> Self {
        Cursor { after: seq, tokens: BTreeMap::new() }
    }

    /// Parses the token part of a cursor: `op:attempt:next_index` items
    /// separated by commas (at most 16). Returns `None` when malformed.
    pub fn parse_tokens(s: &str) -> Option<BTreeMap<OperationId, (u32, u32)>> {
        let mut out = BTreeMap::new();
        if s.is_empty() {
            return Some(out);
        }
        for (i, item) in s.split(',').enumerate() {
            if i >= 16 {
                return None;
            }
            let mut parts = item.split(':');
            let op = OperationId::parse(parts.next()?)?;
            let attempt = parts.next()?.parse().ok()?;
            let next = parts.next()?.parse().ok()?;
            if parts.next().is_some() {
                return None;
            }
            out.insert(op, (attempt, next));
        }
        Some(out)
    }

    /// The cursor as the stream's query parameters:
    /// `after=<seq>&tokens=<op:attempt:next,…>` (percent-encoding is not
    /// needed: the items hold only hex digits, `-`, `:` and `,`).
    pub fn to_query(&self) -> String {
        let mut q = alloc::format!("after={}&tokens=", self.after.0);
        for (i, (op, (attempt, next))) in self.tokens.iter().enumerate() {
            if i > 0 {
                q.push(',');
            }
            q.push_str(&alloc::format!("{op}:{attempt}:{next}"));
        }
        q
    }

    /// What a client does with each frame it receives: checks that the frame
    /// continues this cursor and, if so, advances it.
    ///
    /// - [`Delivery::New`]: apply the frame.
    /// - [`Delivery::Duplicate`]: already seen (only possible if the client
    ///   resumed from an older cursor than it had); ignore it.
    /// - `Err(Gap)`: something before this frame was lost (a dropped push).
    ///   Drop the connection and resume with this cursor, which still points
    ///   just after the last frame applied.
    pub fn accept<E>(&mut self, frame: &Frame<E>) -> Result<Delivery, Gap> {
        match frame {
            Frame::Event { seq, .. } | Frame::Progress { seq, .. } if *seq <= self.after => Ok(Delivery::Duplicate),
            Frame::Event { seq, .. } | Frame::Progress { seq, .. } if seq.0 > self.after.0 + 1 => Err(Gap),
            Frame::Event { seq, event } => {
                self.after = *seq;
                if let (Event::Llm(LlmEvent::Started(p)), Some(op)) = (&event.event, event.operation_id) {
                    if self.tokens.get(&op).is_none_or(|(a, _)| *a != p.attempt) {
                        self.tokens.insert(op, (p.attempt, 0));
                    }
                }
                Ok(Delivery::New)
            }
            Frame::Progress { seq, event_type, operation_id, attempt, through_index, .. } => {
                match self.tokens.get(operation_id) {
                    // Stored tokens the client never received: they were lost.
                    Some((a, next)) if a == attempt && next < through_index => return Err(Gap),
                    _ => {}
                }
                self.after = *seq;
                if *event_type == LlmEventType::Completed {
                    // Its tokens are all stored, at or before `after`: no
                    // frame of it can come again, so the cursor stays short.
                    self.tokens.remove(operation_id);
                }
                Ok(Delivery::New)
            }
            Frame::Token { after, .. } if *after > self.after => Err(Gap), // a stored frame was lost
            Frame::Token { operation_id, attempt, index, .. } => match self.tokens.get(operation_id).copied() {
                Some((a, next)) if a == *attempt && *index < next => Ok(Delivery::Duplicate),
                Some((a, next)) if a == *attempt && *index > next => Err(Gap),
                Some((a, _)) if a > *attempt => Ok(Delivery::Duplicate), // a stale attempt
                Some((a, _)) if a < *attempt => Err(Gap),                // missed llm.started
                _ => {
                    self.tokens.insert(*operation_id, (*attempt, index + 1));
                    Ok(Delivery::New)
                }
            },
        }
    }
}

/// A frame that continues a [`Cursor`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Apply it.
    New,
    /// Already applied; ignore it.
    Duplicate,
}

/// A frame arrived after a lost one: resume from the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a frame was lost before this one: resume from the cursor")]
pub struct Gap;
