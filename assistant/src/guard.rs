//! What makes text the assistant must not act on: text the user pasted
//! rather than wrote as an instruction, arguments that name money, a phone
//! number or a link, and data that tries to close its block in a prompt.
//! The reducer, the rules and the prompt all ask here; this module asks
//! nothing of them.

use alloc::string::{String, ToString};

use serde_json::Value;

/// Whether a message holds text the user did not write as an instruction:
/// quoted lines (`> …`), a fenced block, the headers of a forwarded email,
/// or a long paste (more than 8 lines or 800 bytes).
pub fn pasted(text: &str) -> bool {
    const MARKERS: &[&str] = &["```", "-----original message", "forwarded message", "\nfrom:", "\nsubject:", "\nto:"];
    let lower = text.to_ascii_lowercase();
    let quoted = text.lines().any(|l| l.trim_start().starts_with('>'));
    let headers =
        MARKERS.iter().any(|m| lower.contains(m)) || lower.starts_with("from:") || lower.starts_with("subject:");
    quoted || headers || text.lines().count() > 8 || text.len() > 800
}

/// Whether an action's arguments name money (a currency sign or code, an
/// IBAN, a transfer), a phone number (7 digits or more, with spaces, dots,
/// dashes or brackets between them) or a link (a URL, `www.`, an email address).
pub fn risky(arguments: &str) -> bool {
    // Only free text counts: ids, dates and times are checked by validation.
    let free = |key: &str| !(key.ends_with("_id") || matches!(key, "date" | "due_date" | "time" | "at"));
    match serde_json::from_str::<Value>(arguments) {
        Ok(Value::Object(fields)) => fields.iter().filter(|(k, _)| free(k)).any(|(_, v)| match v {
            Value::String(text) => risky_text(text),
            Value::Number(_) | Value::Bool(_) | Value::Null => false,
            other => risky_text(&other.to_string()),
        }),
        _ => risky_text(arguments),
    }
}

fn risky_text(arguments: &str) -> bool {
    const MONEY: &[&str] = &["iban", "swift", "bitcoin", "crypto", "wire ", "transfer", "payment", "paypal"];
    const CODES: &[&str] = &["eur", "usd", "gbp", "chf", "jpy", "inr", "aud", "cad", "btc", "eth"];
    let lower = arguments.to_ascii_lowercase();
    let sign = arguments.chars().any(|c| matches!(c, '€' | '$' | '£' | '¥' | '₹' | '₿'));
    let words = lower.split(|c: char| !c.is_ascii_alphanumeric());
    let code = words.clone().any(|w| CODES.contains(&w));
    let money = sign || code || MONEY.iter().any(|m| lower.contains(m));
    let link = lower.contains("://") || lower.contains("www.") || lower.split('@').skip(1).any(|d| d.contains('.'));
    money || link || phone_number(arguments)
}

fn phone_number(text: &str) -> bool {
    let (mut digits, mut gap) = (0, 0);
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            gap = 0;
            if digits >= 7 {
                return true;
            }
        } else if matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '+') && digits > 0 && gap == 0 {
            gap += 1;
        } else {
            digits = 0;
            gap = 0;
        }
    }
    false
}

/// `text` with any `<data`/`</data` in it defanged, so that data cannot
/// close its block and speak as instructions.
pub(crate) fn neutralize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let tag = after.strip_prefix('/').unwrap_or(after);
        let is_data = tag.get(..4).is_some_and(|t| t.eq_ignore_ascii_case("data"));
        out.push(if is_data { '‹' } else { '<' });
        rest = after;
    }
    out.push_str(rest);
    out
}
