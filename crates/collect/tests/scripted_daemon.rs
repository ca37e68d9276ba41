//! Collector paths a real daemon cannot be made to take on demand: a
//! container removed between the list and its inspect, and an endpoint
//! that fails one call but not the others. A scripted HTTP server on a
//! unix socket plays the daemon, answering from a fixed table.

use std::collections::HashMap;
use std::time::Duration;

use bulwark_collect::{CollectOptions, EndpointConfig, collect};
use bulwark_facts::{GapKind, Part};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixListener;

const GONE: &str = "6011e0000000000000000000000000000000000000000000000000000000dead";
const KEPT: &str = "cafe00000000000000000000000000000000000000000000000000000000beef";

/// Starts a server answering `routes` (path without query → status, body)
/// and 404 for anything else; status 0 means never answer (a hung
/// daemon). Returns the socket path.
async fn serve(dir: &std::path::Path, routes: HashMap<String, (u16, String)>) -> String {
    let path = dir.join("scripted.sock");
    let listener = UnixListener::bind(&path).unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let routes = routes.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut read = 0;
                // Requests here have no body: read to the blank line.
                while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf[read..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => read += n,
                    }
                }
                let head = String::from_utf8_lossy(&buf[..read]).into_owned();
                let target = head.split_whitespace().nth(1).unwrap_or("/");
                let path = target.split('?').next().unwrap_or(target);
                // Accept versioned paths too (/v1.41/info).
                let path = match path.strip_prefix("/v1.") {
                    Some(rest) => &rest[rest.find('/').unwrap_or(0)..],
                    None => path,
                };
                let (status, body) = match routes.get(path) {
                    Some(route) => route.clone(),
                    None if path.starts_with("/containers/hang") => (0, String::new()),
                    None => (404, r#"{"message":"page not found"}"#.to_string()),
                };
                if status == 0 {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    return;
                }
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    path.to_string_lossy().into_owned()
}

fn base_routes() -> HashMap<String, (u16, String)> {
    let ok = |b: &str| (200, b.to_string());
    HashMap::from([
        ("/_ping".into(), (200, "OK".into())),
        (
            "/version".into(),
            ok(r#"{"Version":"20.10.24","ApiVersion":"1.41"}"#),
        ),
        (
            "/info".into(),
            ok(r#"{"ID":"S:C:R","Name":"scripted","Swarm":{"LocalNodeState":"inactive"}}"#),
        ),
        (
            "/containers/json".into(),
            ok(&format!(r#"[{{"Id":"{GONE}"}},{{"Id":"{KEPT}"}}]"#)),
        ),
        (
            format!("/containers/{GONE}/json"),
            (404, format!(r#"{{"message":"No such container: {GONE}"}}"#)),
        ),
        (
            format!("/containers/{KEPT}/json"),
            ok(&format!(
                r#"{{"Id":"{KEPT}","Name":"/kept","Config":{{"Image":"x"}},"HostConfig":{{"Privileged":true}},"State":{{"Status":"exited","Running":false}}}}"#
            )),
        ),
        ("/images/json".into(), ok("[]")),
        ("/networks".into(), ok("[]")),
        ("/volumes".into(), ok(r#"{"Volumes":[],"Warnings":null}"#)),
        ("/plugins".into(), ok("[]")),
    ])
}

fn options(socket: &str) -> CollectOptions {
    CollectOptions {
        endpoint: EndpointConfig {
            host: Some(format!("unix://{socket}")),
            ..EndpointConfig::default()
        },
        timeout: Duration::from_secs(3),
        ..CollectOptions::default()
    }
}

#[tokio::test]
async fn a_container_removed_mid_run_is_noted_not_reported() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let socket = serve(dir.path(), base_routes()).await;
    let (snapshot, error) = collect(&options(&socket)).await;
    assert!(error.is_none(), "{error:?}");
    let Part::Collected(containers) = &snapshot.containers else {
        panic!("containers not collected: {:?}", snapshot.containers)
    };
    assert_eq!(containers.vanished, vec![GONE.to_string()]);
    assert_eq!(containers.items.len(), 1);
    assert_eq!(containers.items[0].name(), "kept");
    assert!(containers.items[0].inspect.host_config.privileged);
    // The socket's peer is this test, not dockerd: no daemon process.
    assert!(matches!(snapshot.daemon.process, Part::Missing(_)));
}

#[tokio::test]
async fn one_failing_endpoint_spoils_only_its_own_part() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut routes = base_routes();
    routes.insert("/info".into(), (500, r#"{"message":"boom"}"#.into()));
    let socket = serve(dir.path(), routes).await;
    let (snapshot, error) = collect(&options(&socket)).await;
    assert!(error.is_none());
    match &snapshot.engine {
        Part::Missing(gap) => {
            assert_eq!(gap.kind, GapKind::Error);
            assert!(
                gap.reason.contains("GET /info") && gap.reason.contains("boom"),
                "{}",
                gap.reason
            );
        }
        Part::Collected(_) => panic!("engine should be missing"),
    }
    assert!(matches!(snapshot.containers, Part::Collected(_)));
    assert!(matches!(snapshot.images, Part::Collected(_)));
}

#[tokio::test]
async fn a_socket_nobody_listens_on_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("dead.sock");
    drop(std::os::unix::net::UnixListener::bind(&path).unwrap_or_else(|e| panic!("{e}")));
    let (_, error) = collect(&options(&path.to_string_lossy())).await;
    let message = error.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("nothing is listening"), "{message}");
}

#[tokio::test]
async fn a_daemon_that_hangs_mid_run_costs_one_timeout_not_one_per_container() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut routes = base_routes();
    let listed: Vec<String> = (0..40)
        .map(|i| format!(r#"{{"Id":"hang{i:060}"}}"#))
        .collect();
    routes.insert(
        "/containers/json".into(),
        (200, format!("[{}]", listed.join(","))),
    );
    let socket = serve(dir.path(), routes).await;
    let options = CollectOptions {
        timeout: Duration::from_secs(1),
        concurrency: 4,
        ..options(&socket)
    };
    let started = std::time::Instant::now();
    let (snapshot, _) = collect(&options).await;
    let took = started.elapsed();
    // 40 containers, 4 at a time, 1 s each would be 10 s.
    assert!(took < Duration::from_secs(4), "took {took:?}");
    match &snapshot.containers {
        Part::Missing(gap) => assert!(gap.reason.contains("timed out"), "{}", gap.reason),
        Part::Collected(_) => panic!("a hung inspect must not look like a clean list"),
    }
}
