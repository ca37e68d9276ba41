# Sourced by scripts/test and scripts/bench: makes sure the tools and a
# Docker daemon are there. Installs Debian's docker.io (and the extra
# packages named in $EXTRA_PACKAGES) when missing, starts dockerd when no
# daemon answers, and waits for its socket.

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

daemon_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

docker_up() {
    local log_dir=$1
    mkdir -p "$log_dir"
    local missing=()
    command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
    [ -x /bin/busybox ] || missing+=(busybox-static)
    for pkg in ${EXTRA_PACKAGES:-}; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${missing[@]}" >"$log_dir/apt.log" 2>&1 || {
            tail -20 "$log_dir/apt.log"; return 1; }
    fi
    if daemon_answers; then
        say "Docker daemon answers: $(docker version --format '{{.Server.Version}}')"
        return 0
    fi
    say "starting dockerd (log: $log_dir/dockerd.log)"
    # setsid: the daemon outlives this script's process group, so an
    # interrupted run does not take it down mid-cleanup.
    setsid dockerd >"$log_dir/dockerd.log" 2>&1 < /dev/null &
    for _ in $(seq 1 60); do
        daemon_answers && { say "dockerd is up"; return 0; }
        sleep 0.5
    done
    echo "dockerd did not come up; last lines of its log:" >&2
    tail -30 "$log_dir/dockerd.log" >&2
    return 1
}
