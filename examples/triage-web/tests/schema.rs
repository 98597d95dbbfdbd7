//! The triage client's JSON Schema: the checked-in file is what the code
//! generates, and it states what the domain checks (its fields, their
//! requiredness and the string bounds of `TicketTriage::validate`).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use microcos_core::validate::{parse_client_request, Limits};
use microcos_core::{Catalogue, EventKind};
use microcos_triage_web::domain::{TicketTriage, TriageEvent, TriageEventType};
use microcos_triage_web::schema::client_request_schema;
use serde_json::{json, Value};

/// The file TypeScript is generated from must match the code. Run with
/// `MICROCOS_BLESS=1` to rewrite it after a deliberate change (then
/// `node web/client/gen.mjs --out examples/triage/client/schemas.ts
/// examples/triage/schema/client-events.schema.json`).
#[test]
fn client_schema_file_is_current() {
    let text = serde_json::to_string_pretty(&client_request_schema()).unwrap() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../triage/schema/client-events.schema.json");
    if std::env::var_os("MICROCOS_BLESS").is_some() {
        std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
        std::fs::write(path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == text,
        "examples/triage/schema/client-events.schema.json is stale: rerun with MICROCOS_BLESS=1 and commit it"
    );
}

/// The payload schema of each client-sendable type, resolved.
fn payloads() -> Vec<(String, Value)> {
    let schema = client_request_schema();
    schema["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|branch| {
            let ty = branch["properties"]["type"]["const"].as_str().unwrap().to_string();
            let reference = branch["properties"]["payload"]["$ref"].as_str().unwrap();
            let def = reference.strip_prefix("#/$defs/").unwrap();
            (ty, schema["$defs"][def].clone())
        })
        .collect()
}

#[test]
fn one_branch_per_client_type_with_the_fields_the_domain_checks() {
    let mut types: Vec<String> = payloads().into_iter().map(|(ty, _)| ty).collect();
    types.sort();
    let mut expected: Vec<String> = TriageEventType::ALL
        .iter()
        .filter(|t| t.origin() == microcos_core::Origin::Client)
        .map(|t| t.as_str().to_string())
        .chain(["llm.cancel".to_string()])
        .collect();
    expected.sort();
    assert_eq!(types, expected);
    for (ty, payload) in payloads() {
        let Some(t) = TriageEventType::ALL.iter().find(|t| t.as_str() == ty) else { continue };
        let fields = <TriageEvent as Catalogue>::fields(*t);
        let mut stated: Vec<&str> = payload["properties"].as_object().unwrap().keys().map(String::as_str).collect();
        let mut checked: Vec<&str> = fields.iter().map(|f| f.name).collect();
        stated.sort();
        checked.sort();
        assert_eq!(stated, checked, "{ty}: the schema's properties are the fields the domain checks");
        let mut required: Vec<&str> =
            payload["required"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        let mut must: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.name).collect();
        required.sort();
        must.sort();
        assert_eq!(required, must, "{ty}: required in the schema exactly when the domain requires it");
        assert_eq!(payload["additionalProperties"], false, "{ty}: unknown fields are refused, as the domain does");
    }
}

/// A body of `ty` whose every string field holds `len` characters (`é`:
/// two bytes, one character, as the service counts) and every id is valid.
fn body(ty: &str, payload: &Value, stretch: Option<(&str, usize)>) -> String {
    let mut fields = serde_json::Map::new();
    for (name, spec) in payload["properties"].as_object().unwrap() {
        let value = match stretch {
            Some((field, len)) if field == name => json!("é".repeat(len)),
            _ if spec.get("$ref").is_some() => json!("00000000-0000-4000-8000-000000000001"),
            _ => json!("Printer on fire"),
        };
        fields.insert(name.clone(), value);
    }
    json!({ "type": ty, "payload": fields, "event_id": "6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e6f" }).to_string()
}

#[test]
fn every_stated_string_bound_is_the_domains() {
    let domain = TicketTriage::default();
    let mut bounds = 0;
    for (ty, payload) in payloads() {
        assert!(
            parse_client_request(body(&ty, &payload, None).as_bytes(), &domain, &Limits::default()).is_ok(),
            "{ty}"
        );
        for (field, spec) in payload["properties"].as_object().unwrap() {
            let Some(max) = spec.get("maxLength").and_then(Value::as_u64) else { continue };
            bounds += 1;
            let max = max as usize;
            let at = body(&ty, &payload, Some((field, max)));
            assert!(
                parse_client_request(at.as_bytes(), &domain, &Limits::default()).is_ok(),
                "{ty}.{field}: {max} chars"
            );
            let over = body(&ty, &payload, Some((field, max + 1)));
            let refused = parse_client_request(over.as_bytes(), &domain, &Limits::default()).unwrap_err();
            assert_eq!(refused.code.as_str(), "too_long", "{ty}.{field}: {} chars", max + 1);
            assert_eq!(refused.field.as_deref(), Some(format!("payload.{field}").as_str()));
        }
    }
    assert_eq!(bounds, 2, "subject and body");
}
