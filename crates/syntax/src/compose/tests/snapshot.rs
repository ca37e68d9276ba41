//! The whole model of a realistic file, as a snapshot: every field and
//! every position at a glance, and any change to them shows in review.

use super::*;

/// The model as JSON without its unset (`null`) fields, to keep the
/// snapshot readable.
fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

#[test]
fn realistic_file() {
    let file = parse_clean(include_str!("../fixtures/realistic.yml"));
    let model = without_nulls(serde_json::to_value(&file).unwrap());
    insta::assert_json_snapshot!(model);
}
