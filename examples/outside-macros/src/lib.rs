//! The kernel's declaration macros used from outside the kernel, the way an
//! embedder's domain crate uses them: [`microcos_core::payload!`] and
//! [`microcos_core::catalogue!`] in a crate that depends on the kernel alone
//! and has no `schema` feature of its own.
//!
//! `#![deny(warnings)]` is the check: a macro that expanded to something
//! this crate must declare (a `cfg(feature = "schema")` is read against the
//! features of the crate it expands in) fails this build. Build it both
//! ways, the kernel's `schema` off and on:
//!
//! ```text
//! cargo test -p microcos-outside-macros
//! cargo test -p microcos-outside-macros --features kernel-schema
//! ```

#![deny(warnings)]

microcos_core::payload!(/// `habit.created`: a habit to keep.
HabitCreated {
    /// What to do.
    name: String,
    /// Times a week, when not daily.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    per_week: Option<u8>,
});
microcos_core::payload!(/// `habit.done`: the habit was kept today.
HabitDone { /// Which habit.
name: String });
microcos_core::payload!(/// `habit.archived`.
HabitArchived {});

microcos_core::catalogue! {
    /// What happens to the habits.
    pub enum HabitEvent / HabitEventType {
        /// A client created a habit.
        Created(HabitCreated) = "habit.created", Client;
        /// A client marked a habit done.
        Done(HabitDone) = "habit.done", Client;
        /// The habit was archived.
        Archived(HabitArchived) = "habit.archived", System;
    }
}

#[cfg(test)]
mod tests {
    use microcos_core::{Catalogue, EventKind};

    use super::*;

    #[test]
    fn declared_payloads_and_catalogue_work_outside_the_kernel() {
        let created = HabitCreated { name: "stretch".into(), per_week: None };
        assert_eq!(serde_json::to_string(&created).unwrap(), r#"{"name":"stretch"}"#);
        let back: HabitCreated = serde_json::from_str(r#"{"name":"stretch","per_week":3}"#).unwrap();
        assert_eq!(back.per_week, Some(3));
        assert!(serde_json::from_str::<HabitDone>(r#"{"name":"x","extra":1}"#).is_err(), "unknown fields refused");
        assert_eq!(HabitEvent::from(HabitDone { name: "x".into() }).event_type(), HabitEventType::Done);
        assert_eq!(HabitEventType::parse("habit.archived"), Some(HabitEventType::Archived));
        assert_eq!(HabitEventType::ALL.len(), 3);
    }

    /// With the kernel's `schema` feature on, every payload has a schema,
    /// though this crate names neither schemars nor a `schema` feature.
    #[cfg(feature = "kernel-schema")]
    #[test]
    fn payloads_derive_a_schema_when_the_kernel_has_one() {
        let schema = serde_json::to_value(schemars::schema_for!(HabitCreated)).unwrap();
        assert_eq!(schema["properties"]["name"]["type"], "string");
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["required"], serde_json::json!(["name"]));
    }
}
