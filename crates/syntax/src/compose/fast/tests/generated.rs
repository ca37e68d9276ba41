//! Random compose-like YAML (from the subset's grammar, plus mutations).
