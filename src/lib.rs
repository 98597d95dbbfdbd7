#![doc = include_str!("../README.md")]
//!
//! This root package hosts the workspace-level tests, examples and
//! benchmarks; its documentation is the README, whose Rust examples run as
//! doctests so that the quick start keeps working when pasted.

#![forbid(unsafe_code)]
