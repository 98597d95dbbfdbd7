//! # microcos-host
//!
//! What every microcos transport shares, so that the local service, the
//! Cloudflare Worker and a simulation behave identically:
//!
//! - [`edge`], [`auth`]: the HTTP edge as pure functions (routing, signed
//!   bearer tokens, validation through the domain, response shaping);
//! - [`host`]: the host protocol, [`Host`]: one user's engine served over
//!   any [`Transport`], model streams run as background tasks, follow-up work
//!   of any depth, failures reported and recovered the same way everywhere;
//! - [`sql`]: the event store's schema and SQL text (SQLite and Durable
//!   Object SQLite run the same statements);
//! - [`sse`]: the model providers' SSE dialects, decoded sans-IO;
//! - [`stand_in`]: the offline stand-in model, [`StandIn`];
//! - [`log`]: log budgets, so that no client can flood the log.
//!
//! `no_std` + `alloc`, like the kernel ([`microcos_core`]).

#![no_std]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The README's examples, run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod auth;
pub mod edge;
pub mod host;
pub mod log;
pub mod sql;
pub mod sse;
pub mod stand_in;
pub mod web;

pub use host::{Host, HostConfig, HostParts, Report, RequestIds, Served, Subscribed, Task, Transport};
pub use stand_in::{StandIn, StandInStream, STAND_IN_NAME};
