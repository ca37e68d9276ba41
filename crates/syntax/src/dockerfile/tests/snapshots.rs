//! Snapshots of realistic Dockerfiles: an outline of the tree with
//! line:column positions for each, and the full JSON tree of one.

use super::{outline, parsed};

macro_rules! outline_snapshot {
    ($name:ident, $file:literal) => {
        #[test]
        fn $name() {
            let text = include_str!(concat!("fixtures/", $file));
            insta::assert_snapshot!(stringify!($name), outline(text));
        }
    };
}

outline_snapshot!(go_multistage, "go-multistage.Dockerfile");
outline_snapshot!(python_heredocs, "python-heredocs.Dockerfile");
outline_snapshot!(node_onbuild, "node-onbuild.Dockerfile");
outline_snapshot!(windows_escape, "windows-escape.Dockerfile");
outline_snapshot!(broken, "broken.Dockerfile");

#[test]
fn full_tree_json() {
    let text = "# syntax=docker/dockerfile:1\nARG BASE=alpine:3.19\nFROM ${BASE} AS app\n# run as nobody\nUSER nobody:nogroup\nRUN --mount=type=cache,target=/c <<EOF\napk add curl\nEOF\nCMD [\"sh\"]\n";
    insta::assert_json_snapshot!("full_tree_json", parsed(text));
}
