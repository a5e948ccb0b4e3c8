#!/bin/sh
# postfix_instance.sh DIR REMOVED [SECONDS] - the COMMAND of a `mailsim world --wait-ready` test.
#
# Runs inside the world's namespaces.  Starts the Postfix whose configuration
# is DIR/conf (queue DIR/queue, data DIR/data, log DIR/maillog: never the
# machine's own), writes READY to MAILSIM_READY_FD once its smtpd greets on
# port 25 (the timeline starts then), waits until its log says REMOVED
# messages left the queue and the queue is empty, stops it and exits 0.
# After SECONDS (default 60) without that: prints the log and exits 1.
set -eu
dir="$1"
want="$2"
limit="${3:-60}"
conf="$dir/conf"
here=$(dirname "$0")
chown postfix "$dir/data"
# `postfix start` returns once the master has its sockets (master -w);
# Postfix's daemons do not inherit the readiness descriptor.
eval "postfix -c \"\$conf\" start $MAILSIM_READY_FD>&-"
/usr/bin/python3 "$here/smtp_greets.py" "$(postconf -c "$conf" -h inet_interfaces)" 25
echo READY >&"$MAILSIM_READY_FD"
eval "exec $MAILSIM_READY_FD>&-"
waited=0
while :; do
  removed=$(grep -c ': removed$' "$dir/maillog" 2>/dev/null || true)
  if [ "${removed:-0}" -ge "$want" ] && postqueue -c "$conf" -p 2>/dev/null | grep -q 'Mail queue is empty'; then
    break
  fi
  if [ "$waited" -ge "$((limit * 5))" ]; then
    echo "postfix_instance.sh: after ${limit}s, $removed of $want messages left the queue; the log:" >&2
    cat "$dir/maillog" >&2
    postfix -c "$conf" stop || true
    exit 1
  fi
  sleep 0.2
  waited=$((waited + 1))
done
postfix -c "$conf" stop
