//! The whole model of a realistic file, as a snapshot: every field and
//! every position at a glance, and any change to them shows in review.

use super::*;

/// The model as JSON without its unset (`null`) fields, and with places
/// (`"at"`, `"defined"`: spans) as `"line:column"`, to keep the snapshot
/// readable.
fn readable(text: &str, value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let v = match (k.as_str(), v["start"].as_u64(), v["end"].as_u64()) {
                        ("at" | "defined", Some(start), Some(end)) => {
                            let span = Span::new(start as usize, end as usize);
                            let (line, column) = line_col(text, span);
                            Value::String(format!("{line}:{column}"))
                        }
                        _ => readable(text, v),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| readable(text, v)).collect()),
        other => other,
    }
}

#[test]
fn realistic_file() {
    let text = include_str!("../fixtures/realistic.yml");
    let file = parse_clean(text);
    let model = readable(text, serde_json::to_value(&file).unwrap());
    insta::assert_json_snapshot!(model);
}
