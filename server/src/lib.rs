//! # microcos-server
//!
//! The local microcos service: the same HTTP and WebSocket API v1 as the
//! Cloudflare Worker, because both run the shared pure edge
//! ([`microcos_host::edge`]) and host protocol. Storage is SQLite, one database per user, with
//! the Durable Object's schema and SQL text; each user is served by one
//! single-threaded actor, like a Durable Object.
//!
//! # Layout
//!
//! - [`cli`]: `microcos serve | token | load` (clap; `--help` on each).
//! - [`service`]: the service as a library: [`service::start`] serves API v1.
//! - [`clock`]: the wall clock.
//! - [`http`]: the axum transport in front of the shared edge; WebSockets.
//! - [`actor`]: one actor per user running its `microcos_host::Host`, on
//!   one of a few shard threads; stopped when idle, at most `max_actors` at
//!   once.
//! - [`wakes`]: when each user must next be awake (starts stopped actors).
//! - [`store`]: the `Store` port on SQLite; users' database file names.
//! - [`group`]: group commit: one flush makes many users' appends durable;
//!   each shard's gate holds effects until then.
//! - [`push`]: the `Push` port: bounded per-subscriber queues.
//! - [`llm`]: model backends (offline stand-in, OpenAI-compatible, Workers AI REST).
//! - [`secret`]: the token secret (`MICROCOS_SECRET` or a 0600 file in the data folder).
//! - [`revocations`]: per user, the time before which its tokens are refused.
//! - [`load`]: the load generator.
//! - [`admin`]: `microcos operations`, the operations in flight across users.
//! - [`logs`]: text or flat JSON lines on stderr, with the ids of the spans they are under.
//! - [`metrics`]: `GET /metrics` (Prometheus text) on a listener of its own; what each metric counts.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod actor;
pub mod admin;
pub mod cli;
pub mod clock;
pub mod group;
pub mod http;
pub mod llm;
pub mod load;
pub mod logs;
pub mod metrics;
pub mod push;
pub mod revocations;
pub mod secret;
pub mod service;
pub mod store;
pub mod wakes;
pub mod web;

pub use clock::SystemClock;
