//! Stored events: `Envelope::from_json` (whose fast path reads the canonical
//! layout by hand) decides exactly as serde_json does on every input, the
//! same envelope or the same error; and whatever it accepts writes back as
//! canonical JSON that reads back to the same envelope, byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use microcos_assistant::Envelope;
use microcos_core::SCHEMA_VERSION;

fuzz_target!(|text: &str| {
    let read = Envelope::from_json(text);
    let by_serde: Result<Envelope, _> = serde_json::from_str(text);
    match (&read, &by_serde) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{text}"),
        _ => panic!("the fast path and serde_json disagree on {text:?}: {read:?} / {by_serde:?}"),
    }
    let Ok(env) = read else { return };
    assert_eq!(env.v, SCHEMA_VERSION);
    let json = env.to_json();
    let again = Envelope::from_json(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(again, env);
    assert_eq!(again.to_json(), json);
});
