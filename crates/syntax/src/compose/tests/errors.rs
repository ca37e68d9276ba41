//! Broken input: diagnostics with a position, and the rest of the file.

use super::*;

#[test]
fn empty_files() {
    for text in ["", "\n\n", "# just a comment\n", "~\n", "---\n"] {
        let file = parse(text);
        assert!(file.services.is_empty(), "{text:?}");
        let d = diagnostic(&file, "empty");
        assert!(d.span.end <= text.len(), "{text:?}");
    }
}

#[test]
fn a_top_level_that_is_not_a_mapping() {
    for (text, kind) in [
        ("- a\n- b\n", "a sequence"),
        ("just text\n", "a string"),
        ("42", "an integer"),
    ] {
        let file = parse(text);
        let d = diagnostic(&file, "must be a mapping");
        assert!(d.message.contains(kind), "{d:?}");
        assert_eq!(line_col(text, d.span), (1, 1));
    }
}

#[test]
fn services_that_is_not_a_mapping() {
    let text = "services:\n  - web\n";
    let file = parse(text);
    let d = diagnostic(&file, "`services` must be a mapping, not a sequence");
    assert_eq!(line_col(text, d.span), (2, 3));
    assert_eq!(d.expected.as_deref(), Some("a mapping"));
}

#[test]
fn a_malformed_service_does_not_hide_the_others() {
    let text = "\
services:
  broken: 3
  empty:
  web:
    image: nginx
    privileged: maybe
    ports: \"8080:80\"
    user: root
  api:
    image: api
    ports: [\"not a port\", \"9000:9000\"]
";
    let file = parse(text);
    let names: Vec<_> = file
        .services
        .iter()
        .map(|s| s.name.value.as_str())
        .collect();
    assert_eq!(names, ["web", "api"]);
    assert_eq!(
        line_col(text, diagnostic(&file, "services.broken").span),
        (2, 11)
    );
    let d = diagnostic(&file, "services.empty");
    assert_eq!(
        (line_col(text, d.span), d.span.text(text)),
        ((3, 3), "empty")
    );
    let d = diagnostic(&file, "services.web.privileged");
    assert_eq!(
        (line_col(text, d.span), d.span.text(text)),
        ((6, 17), "maybe")
    );
    diagnostic(&file, "services.web.ports` must be a sequence");
    let d = diagnostic(&file, "services.api.ports[0]");
    assert_eq!(d.span.text(text), "\"not a port\"");

    // Everything else was read.
    let web = service(&file, "web");
    assert_eq!(web.user.as_ref().unwrap().value, "root");
    assert!(web.privileged.is_none() && web.ports.is_none());
    let api = service(&file, "api");
    assert_eq!(api.ports.as_ref().unwrap().value.len(), 1);
    assert_eq!(file.diagnostics.len(), 5, "{:#?}", file.diagnostics);
}

#[test]
fn a_yaml_error_keeps_the_services_before_it() {
    let text = "\
services:
  web:
    image: nginx
    privileged: true
  api:
    image: api
    ports: [\"80:80\"
    user: root
  db:
    image: postgres
";
    let file = parse(text);
    assert_eq!(file.diagnostics.len(), 1, "{:#?}", file.diagnostics);
    let d = &file.diagnostics[0];
    assert!(line_col(text, d.span).0 >= 7, "{d:?}");

    assert!(!file.complete);
    let web = service(&file, "web");
    assert!(web.complete);
    assert!(web.privileged.as_ref().unwrap().value);
    // `api` was cut short: what was read is there, and it says so.
    let api = service(&file, "api");
    assert!(!api.complete);
    assert_eq!(api.image.as_ref().unwrap().value, "api");
    assert!(file.service("db").is_none());
}

#[test]
fn syntax_errors_have_positions() {
    let cases = [
        ("services:\n  web:\n    image: a\n  bad: [\n", (4, 8)),
        ("services:\n  web: {image: a\n", (2, 8)),
        ("a: b: c\n", (1, 5)),
        ("services:\n  web:\n    image: *missing\n", (3, 12)),
        ("services:\n  web:\n    image: \"unterminated\n", (3, 12)),
    ];
    for (text, (line, _)) in cases {
        let file = parse(text);
        assert!(!file.diagnostics.is_empty(), "{text:?}");
        let d = &file.diagnostics[0];
        assert!(d.span.end <= text.len());
        let (l, _) = line_col(text, d.span);
        assert!(
            l >= line - 1 && l <= line + 1,
            "{text:?}: {d:?} at line {l}"
        );
    }
    let text = "services:\n  web:\n    image: a\n  bad: [\n";
    let d = &parse(text).diagnostics[0];
    assert_eq!((line_col(text, d.span), d.span.text(text)), ((4, 8), "["));
}

#[test]
fn duplicate_keys_are_reported_and_the_last_is_read() {
    let text = "\
services:
  web:
    image: a
    image: b
  web:
    image: c
";
    let file = parse(text);
    assert_eq!(file.services.len(), 1);
    assert_eq!(service(&file, "web").image.as_ref().unwrap().value, "c");
    let d = diagnostic(&file, "duplicate key `image`");
    assert_eq!(line_col(text, d.span), (4, 5));
    assert!(d.message.contains("first at 3:5"), "{d:?}");
    let d = diagnostic(&file, "duplicate key `web`");
    assert_eq!(line_col(text, d.span), (5, 3));
}

/// Keys are compared as compose reads them, whether written plainly or
/// not (an anchored number is spelled out), in a small mapping and a large
/// one, in either order.
#[test]
fn duplicate_keys_in_every_spelling() {
    let filler: String = (0..20).map(|i| format!("      K{i}: x\n")).collect();
    for (first, second) in [("1", "&n 1"), ("&n 1", "1"), ("a", "a")] {
        for extra in ["", filler.as_str()] {
            let text = format!(
                "services:\n  web:\n    labels:\n      {first}: a\n{extra}      {second}: b\n"
            );
            let file = parse(&text);
            let d = diagnostic(&file, "duplicate key");
            // An anchored key is where its value is, after the anchor.
            let at = if first.starts_with('&') {
                "4:10"
            } else {
                "4:7"
            };
            assert!(
                d.message.contains(&format!("first at {at}")),
                "{text}\n{d:?}"
            );
        }
    }
}

#[test]
fn a_second_document_is_reported_and_the_first_kept() {
    let file = parse("services:\n  web:\n    image: a\n---\nservices:\n  db:\n    image: b\n");
    diagnostic(&file, "more than one YAML document");
    assert!(service(&file, "web").complete);
    assert!(file.service("db").is_none());
}

#[test]
fn variables_where_a_boolean_or_number_is_expected() {
    let text = "services:\n  web:\n    privileged: ${PRIV:-false}\n    pids_limit: $PIDS\n    read_only: true\n";
    let file = parse(text);
    let d = diagnostic(&file, "services.web.privileged` is set from a variable");
    assert_eq!(d.span.text(text), "${PRIV:-false}");
    diagnostic(&file, "services.web.pids_limit` is set from a variable");
    assert!(service(&file, "web").read_only.as_ref().unwrap().value);
}

#[test]
fn wrong_shapes_in_lists_and_mappings() {
    let text = "\
services:
  web:
    cap_add: NET_ADMIN
    environment: [{A: 1}, B=2, =3]
    volumes: [\"a:b:c:d:e\", 3, {target: /x}, {source: y}]
    healthcheck: {test: [\"RUN\", \"x\"]}
    ports: [{published: 80}]
    mem_limit: lots
    deploy: [1]
";
    let file = parse(text);
    let web = service(&file, "web");
    assert!(web.cap_add.is_none());
    diagnostic(
        &file,
        "services.web.cap_add` must be a sequence, not a string",
    );
    diagnostic(&file, "services.web.environment[0]");
    diagnostic(&file, "services.web.environment[2]` has no name");
    assert_eq!(values(&web.environment).len(), 1);
    diagnostic(&file, "services.web.volumes[0]` is not a volume");
    diagnostic(&file, "services.web.volumes[1]` must be");
    diagnostic(&file, "services.web.volumes[3]` has no `target`");
    assert_eq!(values(&web.volumes).len(), 2);
    diagnostic(&file, "must start with `CMD`");
    diagnostic(&file, "services.web.ports[0]` has no `target`");
    let mem = web.mem_limit.clone().unwrap().value;
    assert_eq!((mem.text.as_str(), mem.bytes), ("lots", None));
    diagnostic(&file, "services.web.mem_limit` must be a size");
    diagnostic(&file, "services.web.deploy` must be a mapping");
}

#[test]
fn odd_keys() {
    let text =
        "services:\n  1:\n    image: one\n  true:\n    image: yes\n  [a]: {}\n  ? {b: c}\n  : {}\n";
    let file = parse(text);
    let names: Vec<_> = file
        .services
        .iter()
        .map(|s| s.name.value.as_str())
        .collect();
    assert_eq!(names, ["1", "true"]);
    assert_eq!(service(&file, "true").image.as_ref().unwrap().value, "yes");
    assert_eq!(
        file.diagnostics
            .iter()
            .filter(|d| d.message.contains("has a key that is"))
            .count(),
        2,
        "{:#?}",
        file.diagnostics
    );
}

#[test]
fn tabs_bom_and_control_characters() {
    for text in [
        "services:\n\tweb:\n",
        "\u{feff}services:\n  web:\n    image: a\n",
        "services:\n  web:\n    image: \"a\u{0}b\"\n",
        "services:\n  web:\n    image: a\u{7}\n",
    ] {
        let file = parse(text);
        for d in &file.diagnostics {
            assert!(d.span.end <= text.len() && text.is_char_boundary(d.span.start));
            assert!(!d.message.chars().any(char::is_control), "{d:?}");
        }
    }
    let text = "\u{feff}services:\n  web:\n    privileged: true\n";
    let file = parse_clean(text);
    let privileged = service(&file, "web").privileged.clone().unwrap();
    assert_eq!(text_at(text, privileged.used), "true");
    assert_eq!(at(text, privileged.used), (3, 17));
}
