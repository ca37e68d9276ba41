//! One test per construct: accepted (and equal to serde-saphyr's tree) or
//! given up on.

use super::{accepts, gives_up};

#[test]
fn block_mappings_and_sequences() {
    accepts("a: 1\nb: x\n");
    accepts("a:\n  b:\n    c: d\n  e: f\ng: h\n");
    accepts("a:\n  - x\n  - y\n");
    accepts("a:\n- x\n- y\nb: 1\n");
    accepts("a:\n  - b: 1\n    c: 2\n  - d: 3\n");
    accepts("a:\n- b: 1\n  c:\n  - x\n");
    accepts("a:\n  - - x\n    - y\n  - z\n");
    accepts("a:\n  -\n  - x\n  -   # c\n  -\n    k: v\n");
    accepts("a:\n-\n- x\n");
    accepts("a:\n  -\n    - x\n");
    accepts("- a\n- b\n");
    accepts("-\n  a: 1\n");
}

#[test]
fn empty_values() {
    accepts("a:\nb:   \nc: # comment\nd:");
    accepts("a:\n  b:\nc: 1\n");
    accepts("- a:\n- b:\n  c:\n");
}

#[test]
fn scalars() {
    accepts("a: yes\nb: Off\nc: ~\nd: null\ne: NULL\nf: +1\ng: 1e3\nh: .5\ni: 1.0\n");
    accepts("j: -0\nk: -0.0\nl: 1.\nm: 12:30\nn: 127.0.0.1\no: y\np: n\nq: -foo\n");
    accepts("r: a:b\ns: a#b\nt: a #c\nu: http://x:80/p?q=1#f\nv: x y  z  \n");
    accepts("w: \"x\" # c\nx: 'it''s'\ny: \"a\\tb\\u00e9\\x41\\\"\\\\\\/\"\nz: ''\n");
    accepts("1: a\ny: b\n~: c\n\"q\": 1\n'r': 2\n\"s\"  : 3\n");
    accepts("c: a,b]\nd: a[b]{c}\n");
    accepts("é: ü\nb: \u{1F511}x\n");
}

#[test]
fn flow_collections() {
    accepts("a: [a, \"b\", {x: 1}]\nb: {}\nc: [ ]\nd: [ a , b ]\ne: { a: 1 , b: 2 }\n");
    accepts("a: [no-new-privileges:true, a:b]\nb: [a, b,]\nc: {a: [1, [2, {}]]}\n");
    accepts("a: [\"CMD\", \"curl\", \"-f\", \"http://localhost/\"]\n");
}

#[test]
fn document_markers_and_comments() {
    accepts("---\na: 1\n");
    accepts("# head\n---   # c\n\n  # indented comment\na: 1 # c\n# tail\n   \n");
    gives_up("a: 1\n---\nb: 2\n");
    gives_up("a: 1\n...\n");
    gives_up("--- a: 1\n");
    gives_up("%YAML 1.2\n---\na: 1\n");
    gives_up("");
    gives_up("# only a comment\n");
    gives_up("---\n");
}

#[test]
fn anchors_and_aliases() {
    accepts("f: &anc\n  g: 1\nh: *anc\ni: &s str\nj: *s\nk: &e\nl: *e\n");
    accepts("x: &l\n  driver: json\nb: &b\n  log: *l\n  s: [1, *l]\nz: *b\n");
    accepts("a:\n  - &m\n    k: v\n  - *m\n  - &n x\n  - &o\n  - [*n, *o]\n");
    gives_up("a: *nope\n");
    gives_up("a: &a [*a]\n");
    gives_up("a: &a 1\nb: &a 2\n");
    gives_up("&k key: v\n");
    gives_up("- &m k: v\n");
    gives_up("a: &x *y\n");
    gives_up("a: &a:b 1\n");
}

#[test]
fn merge_keys() {
    accepts(
        "b: &b\n  x: 1\n  w: 2\no: &o\n  w: 3\n  z: 4\nm:\n  <<: [*b, *o]\n  x: 9\nn:\n  x: 0\n  <<: *b\n",
    );
    accepts("b: &b\n  p: 1\nc: &c\n  <<: *b\n  q: 2\n  p: 3\nd:\n  <<: [*c]\n  r: 1\n");
    accepts("b: &b\n  p: 1\n  p: 2\nc:\n  <<: *b\n  <<: *b\n  p: 0\n  p: 5\n");
    accepts("b: &b\n  1: x\n  '1': y\nc:\n  <<: *b\n  \"1\": z\n");
    gives_up("b: &b\n  yes: 1\nc:\n  <<: *b\n");
    gives_up("b: &b [1]\nc:\n  <<: *b\n");
    gives_up("c:\n  <<: {a: 1}\n");
    gives_up("c:\n  <<:\n");
    gives_up("b: &b\n  a: 1\nc: {<<: *b}\n");
}

#[test]
fn block_scalars() {
    accepts("a: |\n  line1\n  line2\nb: x\n");
    accepts("a: |-\n  x\n   more\n  y\n\n\nb: 1\n");
    accepts("a: |+\n  x\n\nb: 1\n");
    accepts("a: >\n  folded\n  text\n\n  para\nb: 1\n");
    accepts("a: >-\n  one\n  two\n");
    accepts("a: |\n\n  x\nb: 1\n");
    accepts("a: | # c\n  x\n# comment\nb: 1\n");
    accepts("a: |\n  x\n  # not a comment\nb: 1\n");
    accepts("- |\n  x\n- >\n  y\n  z\n");
    accepts("a: &s |\n  x  \n    y\nb: *s\n");
    accepts("a:\n  - b: |\n      x\n    c: 1\n");
    accepts("a: |+\n  x\n\n");
    gives_up("a: |\nb: 1\n");
    // Found by fuzzing: blank lines, then spaces at the end of the text.
    gives_up("- |\n\n\n ");
    gives_up("a: |\n  x");
    gives_up("a: |2\n   x\n");
    gives_up("a: >\n  x\n   more\n");
    gives_up("a: >\n\n  x\n");
    gives_up("a: |\n      \n  x\n");
    gives_up("a: |x\n  x\n");
    gives_up("a: |\n  x\n b: 1\n");
}

#[test]
fn outside_the_subset() {
    gives_up("a: !!str 1\n");
    gives_up("a: !reset []\n");
    gives_up("a: foo\n  bar\n");
    gives_up("a: \"foo\n  bar\"\n");
    gives_up("a: [1,\n  2]\n");
    gives_up("? a\n: b\n");
    gives_up("a:\tb\n");
    gives_up("a: b\r\n");
    gives_up("\u{FEFF}a: b\n");
    gives_up("  a: 1\n");
    gives_up("a: 0x1F\nb: 1\n");
    gives_up("a: 0755\n");
    gives_up("a: .inf\n");
    gives_up("a: \"\\N\"\n");
    gives_up("[a]: b\n");
    gives_up("a: [a: 1]\n");
    gives_up("a: {a}\n");
    gives_up("a: [a, # c\n  b]\n");
    gives_up("a:\n  scalar on the next line\n");
}

#[test]
fn errors_are_left_to_serde_saphyr() {
    gives_up("a: b: c\n");
    gives_up("a: - b\n");
    gives_up("a: 1\n- x\n");
    gives_up("a:\n  - x\n  b: 1\n");
    gives_up("a: \"x\"y\n");
    gives_up("a: [1, 2\n");
    gives_up("a: 1\n b: 2\n");
    gives_up("a\n");
    gives_up("a: @x\n");
    gives_up("a: 'x'#c\n");
}

#[test]
fn block_scalar_edges_agree() {
    for text in [
        "a: |\n  x\n ",
        "a: |\n  x\n  ",
        "a: |\n  x\n   ",
        "a: |\n  x\n\n ",
        "a: |+\n  x\n \n",
        "a: |-\n  x\n  \n",
        "a: >\n  x\n  y\n \n  z\n",
        "a: |\n  x\n---\n",
        "a: |\n  x\n...\n",
        "- |\n  x\n -\n",
        "a: |\n x\nb: |\n  y\n",
        "a: >+\n  x\n\n\n",
        "a: | #c\n  x\n #c\n",
    ] {
        super::assert_same(text);
    }
}
