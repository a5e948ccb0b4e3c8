#!/bin/sh
# examples/exim.sh - the COMMAND of `mailsim world`: Debian's Exim (exim4-daemon-light) inside the world.
#
#   mailsim world examples/exim-world.json --wait-ready --until 2m -- sh examples/exim.sh
#
# Runs inside the world's namespaces (its /etc/resolv.conf points at the fake
# DNS).  Exim gets a configuration file, spool and logs of its own under a
# temporary folder (-C; /etc/exim4 is never read or changed): a relay for
# alice's machine that routes by DNS, short retry rules.  Once Exim greets on
# port 25 it writes READY to the descriptor MAILSIM_READY_FD names (with
# --wait-ready the timeline starts then); it waits until the mail the
# scenario submits has left the queue, then stops Exim.  EXIM may
# name another binary (default exim4); EXIM_ADDRESS and EXIM_NAME another host.
set -eu
# Wait (at most 30 s) until ADDRESS greets on port 25.
smtp_greets() {
  /usr/bin/python3 - "$1" <<'PY'
import socket, sys, time
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        with socket.create_connection((sys.argv[1], 25), timeout=2) as s:
            f = s.makefile("rwb")
            if f.readline().startswith(b"220"):
                f.write(b"QUIT\r\n")
                f.flush()
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit("no greeting on %s port 25" % sys.argv[1])
PY
}
exim="${EXIM:-exim4}"
address="${EXIM_ADDRESS:-192.0.2.25}"
name="${EXIM_NAME:-exim.sender.test}"
dir=$(mktemp -d /tmp/exim-under-test.XXXXXX)
chmod 755 "$dir"
mkdir "$dir/spool" "$dir/log"
chown Debian-exim "$dir/spool" "$dir/log"
cat > "$dir/exim.conf" <<CONF
primary_hostname = $name
spool_directory = $dir/spool
log_file_path = $dir/log/%slog
# Its scenario address, for listening and (in the transport) for connecting out.
daemon_smtp_ports = 25
local_interfaces = $address
domainlist local_domains =
hostlist relay_from_hosts = 127.0.0.1 : 192.0.2.50
acl_smtp_rcpt = acl_check_rcpt
host_lookup = *
rfc1413_hosts =

begin acl
acl_check_rcpt:
  accept hosts = +relay_from_hosts
  deny message = relay not permitted

begin routers
dnslookup:
  driver = dnslookup
  domains = ! +local_domains
  transport = remote_smtp
  no_more

begin transports
remote_smtp:
  driver = smtp
  interface = $address

begin retry
# Retries within a test: every 5 seconds for 5 minutes.
*  *  F,5m,5s
CONF
# Exim need not inherit the readiness descriptor.
eval "\"\$exim\" -C \"\$dir/exim.conf\" -bdf -q2s ${MAILSIM_READY_FD:-9}>&- &"
daemon=$!
smtp_greets "$address"
if [ -n "${MAILSIM_READY_FD:-}" ]; then
  echo READY >&"$MAILSIM_READY_FD"
  eval "exec $MAILSIM_READY_FD>&-"
fi
# Wait (at most a minute) until one message has come and gone.
for _ in $(seq 300); do
  if grep -q ' Completed$' "$dir/log/mainlog" 2>/dev/null && [ "$("$exim" -C "$dir/exim.conf" -bpc)" = 0 ]; then
    break
  fi
  sleep 0.2
done
grep -E ' (=>|->|\*\*|==) ' "$dir/log/mainlog" || true
kill "$daemon"
wait "$daemon" 2>/dev/null || true
rm -rf "$dir"
