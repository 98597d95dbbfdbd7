//! Stored events: whatever `Envelope::from_json` accepts writes back as
//! canonical JSON that reads back to the same envelope, byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use microcos_assistant::Envelope;
use microcos_core::event::SCHEMA_VERSION;

fuzz_target!(|text: &str| {
    let Ok(env) = Envelope::from_json(text) else { return };
    assert_eq!(env.v, SCHEMA_VERSION);
    let json = env.to_json();
    let again = Envelope::from_json(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(again, env);
    assert_eq!(again.to_json(), json);
});
