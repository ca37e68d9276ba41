//! Each value that compose accepts in several spellings reads into one
//! representation.

use super::*;

fn one_service(body: &str) -> (String, ComposeFile) {
    let text = format!("services:\n  s:\n{body}");
    let file = parse_clean(&text);
    (text, file)
}

#[test]
fn environment_as_a_list() {
    let (text, file) = one_service(
        "    environment:\n      - DEBUG=1\n      - TOKEN=\n      - HOME\n      - URL=a=b\n      - \"QUOTED=x y\"\n",
    );
    let env = service(&file, "s").environment.clone().unwrap();
    let vars: Vec<(String, Option<String>)> = env
        .value
        .iter()
        .map(|v| {
            let value = v.value.value.as_ref().map(|x| x.value.expose().to_owned());
            (v.value.key.value.clone(), value)
        })
        .collect();
    assert_eq!(
        vars,
        [
            ("DEBUG".into(), Some("1".into())),
            ("TOKEN".into(), Some(String::new())),
            ("HOME".into(), None),
            ("URL".into(), Some("a=b".into())),
            ("QUOTED".into(), Some("x y".into())),
        ]
    );
    // Name and value have their own columns inside the item.
    let debug = &env.value[0].value;
    assert_eq!(at(&text, debug.key.used), (4, 9));
    assert_eq!(text_at(&text, debug.key.used), "DEBUG");
    let one = debug.value.as_ref().unwrap();
    assert_eq!(
        (at(&text, one.used), text_at(&text, one.used)),
        ((4, 15), "1")
    );
    let quoted = &env.value[4].value;
    assert_eq!(text_at(&text, quoted.key.used), "QUOTED");
    assert_eq!(text_at(&text, quoted.value.as_ref().unwrap().used), "x y");
}

#[test]
fn environment_as_a_mapping() {
    let (text, file) = one_service(
        "    environment:\n      DEBUG: true\n      PORT: 08080\n      EMPTY: \"\"\n      HOME:\n      RATIO: 0.50\n",
    );
    let env = service(&file, "s").environment.clone().unwrap();
    let vars: Vec<(String, Option<String>)> = env
        .value
        .iter()
        .map(|v| {
            let value = v.value.value.as_ref().map(|x| x.value.expose().to_owned());
            (v.value.key.value.clone(), value)
        })
        .collect();
    // Numbers and booleans keep their spelling.
    assert_eq!(
        vars,
        [
            ("DEBUG".into(), Some("true".into())),
            ("PORT".into(), Some("08080".into())),
            ("EMPTY".into(), Some(String::new())),
            ("HOME".into(), None),
            ("RATIO".into(), Some("0.50".into())),
        ]
    );
    let port = &env.value[1];
    assert_eq!(at(&text, port.used), (5, 7));
    assert_eq!(
        text_at(&text, port.value.value.as_ref().unwrap().used),
        "08080"
    );
}

#[test]
fn environment_values_never_print() {
    let (_, file) = one_service(
        "    environment:\n      - PASSWORD=hunter2\n    build:\n      context: .\n      args: {TOKEN: s3cr3t}\n",
    );
    let debug = format!("{file:?}");
    let json = serde_json::to_string(&file).unwrap();
    for secret in ["hunter2", "s3cr3t"] {
        assert!(!debug.contains(secret), "{debug}");
        assert!(!json.contains(secret), "{json}");
    }
    let env = service(&file, "s").environment.clone().unwrap();
    let password = env.value[0].value.value.as_ref().unwrap();
    assert_eq!(password.value.expose(), "hunter2");
}

#[test]
fn labels_and_sysctls_in_both_spellings() {
    let (_, file) = one_service(
        "    labels: [a=1, b]\n    sysctls:\n      net.core.somaxconn: 1024\n      net.ipv4.ip_forward: \"1\"\n",
    );
    let s = service(&file, "s");
    let labels: Vec<_> = values(&s.labels)
        .into_iter()
        .map(|kv| (kv.key.value, kv.value.map(|v| v.value)))
        .collect();
    assert_eq!(labels, [("a".into(), Some("1".into())), ("b".into(), None)]);
    let sysctls: Vec<_> = values(&s.sysctls)
        .into_iter()
        .map(|kv| (kv.key.value, kv.value.map(|v| v.value)))
        .collect();
    assert_eq!(
        sysctls,
        [
            ("net.core.somaxconn".into(), Some("1024".into())),
            ("net.ipv4.ip_forward".into(), Some("1".into()))
        ]
    );
}

#[test]
fn env_file_as_string_list_and_mappings() {
    let (_, file) = one_service("    env_file: .env\n");
    assert_eq!(
        values(&service(&file, "s").env_file),
        [EnvFile {
            path: ".env".into(),
            required: true
        }]
    );
    let (_, file) =
        one_service("    env_file:\n      - a.env\n      - path: b.env\n        required: false\n");
    let files = values(&service(&file, "s").env_file);
    assert_eq!(files.len(), 2);
    assert_eq!(
        (files[1].path.as_str(), files[1].required),
        ("b.env", false)
    );
}

#[test]
fn ports_short_and_long_in_one_list() {
    let (text, file) = one_service(
        "    ports:\n      - \"8080:80\"\n      - \"127.0.0.1:8080:80/udp\"\n      - \"[::1]:8080:80\"\n      - \"8000-8010:80-90\"\n      - 80\n      - \"80\"\n      - target: 443\n        published: 8443\n        host_ip: 127.0.0.1\n        protocol: tcp\n        mode: host\n",
    );
    let ports = service(&file, "s").ports.clone().unwrap();
    let summary: Vec<_> = ports
        .value
        .iter()
        .map(|p| {
            let p = &p.value;
            let range = |n: &Option<PortNumbers>| {
                n.as_ref().and_then(|n| n.range).map(|r| (r.start, r.end))
            };
            (
                p.host_ip.clone(),
                range(&p.published),
                range(&p.target),
                p.protocol.clone(),
                p.syntax,
            )
        })
        .collect();
    let short = Syntax::Short;
    assert_eq!(
        summary,
        [
            (None, Some((8080, 8080)), Some((80, 80)), None, short),
            (
                Some("127.0.0.1".into()),
                Some((8080, 8080)),
                Some((80, 80)),
                Some("udp".into()),
                short
            ),
            (
                Some("::1".into()),
                Some((8080, 8080)),
                Some((80, 80)),
                None,
                short
            ),
            (None, Some((8000, 8010)), Some((80, 90)), None, short),
            (None, None, Some((80, 80)), None, short),
            (None, None, Some((80, 80)), None, short),
            (
                Some("127.0.0.1".into()),
                Some((8443, 8443)),
                Some((443, 443)),
                Some("tcp".into()),
                Syntax::Long
            ),
        ]
    );
    assert_eq!(ports.value[6].value.mode.as_deref(), Some("host"));
    assert_eq!(at(&text, ports.used), (4, 7));
    assert_eq!(
        text_at(&text, ports.value[1].used),
        "\"127.0.0.1:8080:80/udp\""
    );
    assert_eq!(at(&text, ports.value[6].used), (10, 9));
}

#[test]
fn volumes_short_and_long() {
    let (_, file) = one_service(
        "    volumes:
      - ./src:/app:ro
      - data:/data
      - /var/run/docker.sock:/var/run/docker.sock
      - /cache
      - /:/host:rw,rshared,z
      - type: bind
        source: /etc
        target: /host/etc
        read_only: true
        bind:
          propagation: rslave
      - type: volume
        source: logs
        target: /logs
      - type: tmpfs
        target: /tmp
",
    );
    let mounts = values(&service(&file, "s").volumes);
    let summary: Vec<_> = mounts
        .iter()
        .map(|m| {
            (
                m.kind.clone(),
                m.source.as_deref(),
                m.target.as_deref(),
                m.read_only,
                m.propagation.as_deref(),
            )
        })
        .collect();
    use MountKind::{Bind, Tmpfs, Volume};
    assert_eq!(
        summary,
        [
            (Bind, Some("./src"), Some("/app"), true, None),
            (Volume, Some("data"), Some("/data"), false, None),
            (
                Bind,
                Some("/var/run/docker.sock"),
                Some("/var/run/docker.sock"),
                false,
                None
            ),
            (Volume, None, Some("/cache"), false, None),
            (Bind, Some("/"), Some("/host"), false, Some("rshared")),
            (Bind, Some("/etc"), Some("/host/etc"), true, Some("rslave")),
            (Volume, Some("logs"), Some("/logs"), false, None),
            (Tmpfs, None, Some("/tmp"), false, None),
        ]
    );
    assert_eq!(mounts[4].selinux.as_deref(), Some("z"));
    assert_eq!(mounts[0].syntax, Syntax::Short);
    assert_eq!(mounts[5].syntax, Syntax::Long);
}

#[test]
fn devices_short_and_long() {
    let (_, file) = one_service(
        "    devices:\n      - /dev/ttyUSB0:/dev/ttyUSB0:rwm\n      - source: /dev/sda\n        target: /dev/xvda\n        permissions: r\n    device_cgroup_rules: ['c 1:3 mr']\n",
    );
    let s = service(&file, "s");
    let devices = values(&s.devices);
    assert_eq!(devices[0].permissions.as_deref(), Some("rwm"));
    assert_eq!(devices[1].source, "/dev/sda");
    assert_eq!(devices[1].target.as_deref(), Some("/dev/xvda"));
    assert_eq!(values(&s.device_cgroup_rules), ["c 1:3 mr"]);
}

#[test]
fn healthcheck_tests_in_every_spelling() {
    let cases = [
        (
            "test: curl -f http://x",
            HealthTest::Shell("curl -f http://x".into()),
        ),
        (
            "test: [\"CMD\", \"curl\", \"-f\"]",
            HealthTest::Exec(vec!["curl".into(), "-f".into()]),
        ),
        (
            "test: [\"CMD-SHELL\", \"curl -f x\"]",
            HealthTest::Shell("curl -f x".into()),
        ),
        ("test: [\"NONE\"]", HealthTest::Disabled),
        ("test: []", HealthTest::Inherit),
    ];
    for (line, expected) in cases {
        let (_, file) = one_service(&format!("    healthcheck:\n      {line}\n"));
        let check = service(&file, "s").healthcheck.clone().unwrap().value;
        assert_eq!(check.test.as_ref().unwrap().value, expected, "{line}");
        assert_eq!(
            check.is_disabled(),
            expected == HealthTest::Disabled,
            "{line}"
        );
    }
    let (_, file) = one_service("    healthcheck:\n      disable: true\n");
    assert!(
        service(&file, "s")
            .healthcheck
            .clone()
            .unwrap()
            .value
            .is_disabled()
    );
}

#[test]
fn build_as_string_or_mapping() {
    let (_, file) = one_service("    build: ./app\n");
    let build = service(&file, "s").build.clone().unwrap().value;
    assert_eq!(build.context.unwrap().value, "./app");
    assert_eq!(build.dockerfile, None);

    let (_, file) = one_service(
        "    build:\n      context: .\n      dockerfile: Dockerfile.dev\n      dockerfile_inline: |\n        FROM alpine\n      args: [A=1]\n",
    );
    let build = service(&file, "s").build.clone().unwrap().value;
    assert_eq!(build.context.unwrap().value, ".");
    assert_eq!(build.dockerfile.unwrap().value, "Dockerfile.dev");
    assert_eq!(build.dockerfile_inline.unwrap().value, "FROM alpine\n");
    assert_eq!(build.args.unwrap().value[0].value.key.value, "A");
}

#[test]
fn capabilities_and_string_options() {
    let (_, file) = one_service(
        "    cap_add: [NET_ADMIN, SYS_PTRACE]\n    cap_drop:\n      - ALL\n    security_opt: [\"seccomp:unconfined\"]\n    user: 0\n    restart: no\n    network_mode: host\n    pid: host\n    ipc: host\n    uts: host\n    userns_mode: host\n    cgroup_parent: custom\n    tmpfs: [/run, /tmp:size=64m]\n",
    );
    let s = service(&file, "s");
    assert_eq!(values(&s.cap_add), ["NET_ADMIN", "SYS_PTRACE"]);
    assert_eq!(values(&s.cap_drop), ["ALL"]);
    assert_eq!(values(&s.security_opt), ["seccomp:unconfined"]);
    // Spelled as written: a number, and YAML 1.1's boolean `no`.
    assert_eq!(s.user.as_ref().unwrap().value, "0");
    assert_eq!(s.restart.as_ref().unwrap().value, "no");
    for field in [&s.network_mode, &s.pid, &s.ipc, &s.uts, &s.userns_mode] {
        assert_eq!(field.as_ref().unwrap().value, "host");
    }
    assert_eq!(s.cgroup_parent.as_ref().unwrap().value, "custom");
    assert_eq!(values(&s.tmpfs), ["/run", "/tmp:size=64m"]);
}

#[test]
fn numbers_or_strings() {
    let (_, file) = one_service("    mem_limit: 512m\n    cpus: 0.5\n    pids_limit: -1\n");
    let s = service(&file, "s");
    assert_eq!(s.mem_limit.clone().unwrap().value.bytes, Some(512 << 20));
    assert_eq!(s.cpus.clone().unwrap().value.value, Some(0.5));
    assert_eq!(s.pids_limit.clone().unwrap().value, -1);

    let (_, file) =
        one_service("    mem_limit: 1073741824\n    cpus: \"0.5\"\n    pids_limit: \"100\"\n");
    let s = service(&file, "s");
    assert_eq!(s.mem_limit.clone().unwrap().value.bytes, Some(1 << 30));
    assert_eq!(s.cpus.clone().unwrap().value.text, "0.5");
    assert_eq!(s.pids_limit.clone().unwrap().value, 100);

    let (_, file) = one_service("    cpus: 2\n    mem_limit: ${MEM:-1g}\n");
    let s = service(&file, "s");
    assert_eq!(s.cpus.clone().unwrap().value.value, Some(2.0));
    // Set, but to a value only known at run time.
    let mem = s.mem_limit.clone().unwrap().value;
    assert_eq!((mem.text.as_str(), mem.bytes), ("${MEM:-1g}", None));
}

#[test]
fn deploy_limits() {
    let (_, file) = one_service(
        "    deploy:\n      resources:\n        limits:\n          cpus: '0.25'\n          memory: 256M\n          pids: 50\n        reservations:\n          memory: 128M\n      restart_policy:\n        condition: on-failure\n        max_attempts: 5\n",
    );
    let deploy = service(&file, "s").deploy.clone().unwrap().value;
    let resources = deploy.resources.unwrap().value;
    let limits = resources.limits.unwrap().value;
    assert_eq!(limits.cpus.unwrap().value.value, Some(0.25));
    assert_eq!(limits.memory.unwrap().value.bytes, Some(256 << 20));
    assert_eq!(limits.pids.unwrap().value, 50);
    let reservations = resources.reservations.unwrap().value;
    assert_eq!(reservations.memory.unwrap().value.bytes, Some(128 << 20));
    let policy = deploy.restart_policy.unwrap().value;
    assert_eq!(policy.condition.unwrap().value, "on-failure");
    assert_eq!(policy.max_attempts.unwrap().value, 5);
}

#[test]
fn secrets_logging_and_image() {
    let (_, file) = one_service(
        "    image: nginx\n    secrets:\n      - db\n      - source: key\n        target: /run/k\n    logging:\n      driver: none\n",
    );
    let s = service(&file, "s");
    let secrets = values(&s.secrets);
    assert_eq!(secrets[0].source, "db");
    assert_eq!(
        (secrets[1].source.as_str(), secrets[1].target.as_deref()),
        ("key", Some("/run/k"))
    );
    assert_eq!(
        s.logging.clone().unwrap().value.driver.unwrap().value,
        "none"
    );
    assert_eq!(s.image_ref().unwrap().effective_tag(), Some("latest"));
}

#[test]
fn extensions_and_unknown_keys_are_ignored() {
    let text = "\
version: '3.9'
x-anything: {a: [1, 2]}
services:
  web:
    image: nginx
    x-owner: me
    depends_on: [db]
    stop_grace_period: 1m
    command: [\"run\"]
  db:
    image: postgres
unknown_top_level: 1
";
    let file = parse_clean(text);
    assert_eq!(file.services.len(), 2);
}

#[test]
fn top_level_resources() {
    let text = "\
services: {}
volumes:
  plain:
  host:
    driver: local
    driver_opts: {type: none, o: bind, device: /etc}
networks:
  inner: {internal: true}
  old: {external: {name: x}}
secrets:
  pw: {file: ./pw.txt}
  key: {environment: KEY, external: false}
";
    let file = parse_clean(text);
    assert_eq!(file.volumes.len(), 2);
    let opts = file.volumes[1].driver_opts.clone().unwrap();
    let device = opts
        .value
        .iter()
        .find(|o| o.value.key.value == "device")
        .unwrap();
    assert_eq!(device.value.value.as_ref().unwrap().value, "/etc");
    assert!(file.networks[0].internal.clone().unwrap().value);
    assert!(file.networks[1].external.clone().unwrap().value);
    assert_eq!(file.secrets[0].file.clone().unwrap().value, "./pw.txt");
    assert_eq!(file.secrets[1].environment.clone().unwrap().value, "KEY");
    assert!(!file.secrets[1].external.clone().unwrap().value);
}

#[test]
fn crlf_and_non_ascii_positions() {
    let text = "services:\r\n  wéb:\r\n    image: \"ñginx\"\r\n    privileged: true\r\n";
    let file = parse_clean(text);
    let s = service(&file, "wéb");
    let privileged = s.privileged.as_ref().unwrap();
    assert_eq!(at(text, privileged.used), (4, 17));
    assert_eq!(text_at(text, privileged.used), "true");
    assert_eq!(line_col(text, privileged.used.span), (4, 17));
    assert_eq!(s.image.as_ref().unwrap().value, "ñginx");
}

#[test]
fn extends_in_both_spellings() {
    let (_, file) = one_service("    extends: base\n");
    let extends = service(&file, "s").extends.clone().unwrap().value;
    assert_eq!((extends.service.as_str(), extends.file), ("base", None));
    let (_, file) = one_service("    extends:\n      service: web\n      file: common.yml\n");
    let extends = service(&file, "s").extends.clone().unwrap().value;
    assert_eq!(extends.service, "web");
    assert_eq!(extends.file.as_deref(), Some("common.yml"));
}

#[test]
fn cpu_controls_are_kept_as_written() {
    let (text, file) = one_service(
        "    cpu_shares: 512\n    cpu_quota: 50000\n    cpu_period: 100000\n    cpuset: \"0-1\"\n    cpu_count: 2\n    cpu_percent: 50\n",
    );
    let s = service(&file, "s");
    let written = [
        &s.cpu_shares,
        &s.cpu_quota,
        &s.cpu_period,
        &s.cpuset,
        &s.cpu_count,
        &s.cpu_percent,
    ]
    .map(|c| c.as_ref().unwrap().value.as_str());
    assert_eq!(written, ["512", "50000", "100000", "0-1", "2", "50"]);
    assert_eq!(text_at(&text, s.cpuset.as_ref().unwrap().used), "\"0-1\"");
}
