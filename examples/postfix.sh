#!/bin/sh
# examples/postfix.sh - the COMMAND of `mailsim world`: a Postfix of its own inside the world.
#
#   mailsim world examples/postfix-world.json --wait-ready --until 2m -- sh examples/postfix.sh
#
# Runs inside the world's namespaces (its /etc/resolv.conf points at the
# fake DNS).  Gives Postfix a configuration, queue and log of its own under a
# temporary folder (the machine's /etc/postfix is never read or changed),
# starts it, tells mailsim it is ready (the line READY on the descriptor
# MAILSIM_READY_FD names: with --wait-ready the timeline starts then), waits
# until the mail the scenario submits has left its queue, stops it.  Set POSTFIX_ADDRESS and POSTFIX_NAME for another scenario host.
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
address="${POSTFIX_ADDRESS:-192.0.2.25}"
name="${POSTFIX_NAME:-postfix.sender.test}"
dir=$(mktemp -d /tmp/postfix-under-test.XXXXXX)
chmod 755 "$dir"
mkdir "$dir/conf" "$dir/queue" "$dir/data"
chown postfix "$dir/data"
# Debian's master.cf with chroot off (fifth column n): a chrooted smtp
# client would not see the resolv.conf mounted in the namespace.
sed -E 's/^([a-z0-9-]+[[:space:]]+(inet|unix|fifo|pass|unix-dgram)[[:space:]]+[-yn][[:space:]]+[-yn][[:space:]]+)[-yn]/\1n/' \
  /usr/share/postfix/master.cf.dist > "$dir/conf/master.cf"
cat > "$dir/conf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
mail_owner = postfix
setgid_group = postdrop
myhostname = $name
# A pure relay: nothing is delivered locally.
mydestination =
# Its scenario address, for listening and for connecting out (else the
# kernel would pick the address of the host it connects to).
inet_interfaces = $address
smtp_bind_address = $address
inet_protocols = ipv4
# Who may relay through it: alice's machine in the scenario.
mynetworks = 127.0.0.0/8 192.0.2.50/32
# Short times, so that retries happen within a test.
minimal_backoff_time = 5s
maximal_backoff_time = 10s
queue_run_delay = 2s
maximal_queue_lifetime = 5m
bounce_queue_lifetime = 5m
smtp_connect_timeout = 5s
CONF
# Postfix's daemons need not inherit the readiness descriptor.
eval "postfix -c \"\$dir/conf\" start ${MAILSIM_READY_FD:-9}>&-"
smtp_greets "$address"
if [ -n "${MAILSIM_READY_FD:-}" ]; then
  echo READY >&"$MAILSIM_READY_FD"
  eval "exec $MAILSIM_READY_FD>&-"
fi
# Wait (at most a minute) until one message has come and gone.
for _ in $(seq 300); do
  if grep -q ': removed$' "$dir/maillog" 2>/dev/null &&
     postqueue -c "$dir/conf" -p 2>/dev/null | grep -q 'Mail queue is empty'; then
    break
  fi
  sleep 0.2
done
grep ' status=' "$dir/maillog" || true
postfix -c "$dir/conf" stop
rm -rf "$dir"
