# Shared by the bench scripts (source it): free ports, and stopping exactly the processes a script started.

# A port the kernel just handed out on 127.0.0.1, never the developer's 6379.
free_port() {
  python3 -c 'import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    if p != 6379: print(p); break'
}

# Append the pid of each background process to PIDS; on exit only those still children of this script are
# signalled, by pid.
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    [ "$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$$" ] || continue
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
