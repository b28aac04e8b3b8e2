# Shell helpers for the scripts that install and start test servers (postgres.sh, redis.sh).
# Source it after setting NAME (the script's name, for messages); every message goes to
# stderr, so that a script's stdout can carry its one answer (a URL).

say() { echo "$NAME: $*" >&2; }
die() {
  say "error: $*"
  exit 1
}

# Root runs apt and servers itself; anyone else goes through sudo.
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo > /dev/null || die "not root and sudo is missing"
  SUDO=(sudo)
fi

# Run a command that may leave a server running (apt's post-install start, pg_ctlcluster,
# redis-server --daemonize) with every descriptor above 2 closed and stdin from /dev/null,
# in a new session. A server that inherited the caller's stdout (the pipe of
# `$(bash scripts/postgres.sh)`) or a lock descriptor would keep the caller waiting for end
# of file, or hold the lock, forever.
detached() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if [[ "$fd" =~ ^[0-9]+$ ]] && ((fd > 2)); then
        eval "exec $fd>&-"
      fi
    done
    exec setsid -w "$@" < /dev/null
  )
}

# Install Debian packages quietly (apt's own output goes to stderr).
apt_install() {
  local started=$SECONDS
  say "installing Debian's $*"
  "${SUDO[@]}" apt-get update -qq
  # C.UTF-8 (always present on Debian): a PostgreSQL cluster made by the package is UTF-8.
  detached "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    apt-get install -y -qq "$@" > /dev/null
  say "installed $* in $((SECONDS - started)) s"
}

# Take an exclusive lock on descriptor 9 (several test processes may run a script at once).
lock() {
  local file=${TMPDIR:-/tmp}/$1.lock
  if { exec 9> "$file"; } 2> /dev/null && command -v flock > /dev/null; then
    flock -w 900 9 || die "timed out waiting for the lock $file"
  fi
}
