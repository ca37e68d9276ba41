//! Anchors, aliases and `<<` merge keys: values keep both the place where a
//! service uses them and the place where they are written.

use super::*;

const SINGLE: &str = "\
x-common: &common
  privileged: true
  cap_add: [SYS_ADMIN]
services:
  web:
    image: nginx
    <<: *common
";

#[test]
fn a_merged_value_is_used_at_the_alias_and_defined_in_the_anchor() {
    let file = parse_clean(SINGLE);
    let web = service(&file, "web");
    let privileged = web.privileged.as_ref().unwrap();
    assert!(privileged.value);
    assert!(privileged.is_indirect());
    assert_eq!(at(SINGLE, privileged.used), (7, 9));
    assert_eq!(text_at(SINGLE, privileged.used), "*common");
    assert_eq!(at(SINGLE, privileged.defined), (2, 15));
    assert_eq!(text_at(SINGLE, privileged.defined), "true");

    let cap_add = web.cap_add.as_ref().unwrap();
    assert_eq!(at(SINGLE, cap_add.used), (7, 9));
    assert_eq!(at(SINGLE, cap_add.value[0].defined), (3, 13));
    assert_eq!(text_at(SINGLE, cap_add.value[0].defined), "SYS_ADMIN");

    // A key written in the service itself is direct.
    let image = web.image.as_ref().unwrap();
    assert!(!image.is_indirect());
    assert_eq!(at(SINGLE, image.used), (6, 12));
}

#[test]
fn positions_come_from_the_source() {
    let src = crate::Source::parse("compose.yml", crate::SourceKind::Compose, SINGLE.into());
    let file = src.compose().unwrap();
    let privileged = service(file, "web").privileged.clone().unwrap();
    let (used, defined) = (
        privileged.used.position(&src),
        privileged.defined.position(&src),
    );
    assert_eq!(
        ((used.line, used.column), (defined.line, defined.column)),
        ((7, 9), (2, 15))
    );
}

const LIST: &str = "\
x-a: &a
  privileged: true
  user: root
x-b: &b
  user: app
  read_only: true
services:
  web:
    <<: [*a, *b]
";

#[test]
fn a_merge_list_takes_each_key_from_the_first_mapping_that_has_it() {
    let file = parse_clean(LIST);
    let web = service(&file, "web");

    let privileged = web.privileged.as_ref().unwrap();
    assert!(privileged.value);
    assert_eq!(
        (at(LIST, privileged.used), at(LIST, privileged.defined)),
        ((9, 10), (2, 15))
    );
    assert_eq!(text_at(LIST, privileged.used), "*a");

    // Both anchors set `user`: the first in the list wins.
    let user = web.user.as_ref().unwrap();
    assert_eq!(user.value, "root");
    assert_eq!(
        (at(LIST, user.used), at(LIST, user.defined)),
        ((9, 10), (3, 9))
    );

    let read_only = web.read_only.as_ref().unwrap();
    assert_eq!(
        (at(LIST, read_only.used), at(LIST, read_only.defined)),
        ((9, 14), (6, 14))
    );
    assert_eq!(text_at(LIST, read_only.used), "*b");
}

#[test]
fn a_key_in_the_service_overrides_a_merged_one_wherever_it_is_written() {
    let text = "\
x-common: &common
  privileged: true
  user: root
services:
  before:
    privileged: false
    <<: *common
  after:
    <<: *common
    privileged: false
";
    let file = parse_clean(text);
    for (name, line) in [("before", 6), ("after", 10)] {
        let s = service(&file, name);
        let privileged = s.privileged.as_ref().unwrap();
        assert!(!privileged.value, "{name}");
        assert!(!privileged.is_indirect(), "{name}");
        assert_eq!(at(text, privileged.used), (line, 17), "{name}");
        // What is not overridden still comes from the anchor.
        assert_eq!(at(text, s.user.as_ref().unwrap().defined), (3, 9), "{name}");
    }
}

#[test]
fn a_whole_service_can_be_an_alias() {
    let text = "\
x-base: &base
  image: busybox
  privileged: true
services:
  one: *base
  two:
    <<: *base
    image: alpine
";
    let file = parse_clean(text);
    let one = service(&file, "one");
    assert_eq!(at(text, one.name.used), (5, 3));
    let privileged = one.privileged.as_ref().unwrap();
    assert_eq!(
        (at(text, privileged.used), at(text, privileged.defined)),
        ((5, 8), (3, 15))
    );
    let two = service(&file, "two");
    assert_eq!(two.image.as_ref().unwrap().value, "alpine");
}

#[test]
fn a_scalar_alias_is_used_at_the_alias() {
    let text = "\
x-mem: &mem 512m
services:
  web:
    mem_limit: *mem
";
    let file = parse_clean(text);
    let mem = service(&file, "web").mem_limit.clone().unwrap();
    assert_eq!(mem.value.bytes, Some(512 << 20));
    assert_eq!(
        (at(text, mem.used), at(text, mem.defined)),
        ((4, 16), (1, 13))
    );
    assert_eq!(text_at(text, mem.defined), "512m");
}

#[test]
fn a_wrong_value_in_an_anchor_is_reported_once_where_it_is_written() {
    let text = "\
x-common: &common
  privileged: maybe
services:
  a:
    <<: *common
  b:
    <<: *common
";
    let file = parse(text);
    let d = diagnostic(&file, "must be a boolean");
    assert_eq!(d.span.text(text), "maybe");
    assert!(service(&file, "a").privileged.is_none());
    assert!(service(&file, "b").privileged.is_none());
}
