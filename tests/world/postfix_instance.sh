#!/bin/sh
# postfix_instance.sh DIR REMOVED [SECONDS] - the COMMAND of a `mailsim world` test.
#
# Runs inside the world's namespaces.  Starts the Postfix whose configuration
# is DIR/conf (queue DIR/queue, data DIR/data, log DIR/maillog: never the
# machine's own), waits until its log says REMOVED messages left the queue
# and the queue is empty, stops it and exits 0.  After SECONDS (default 60)
# without that: prints the log and exits 1.
set -eu
dir="$1"
want="$2"
limit="${3:-60}"
conf="$dir/conf"
chown postfix "$dir/data"
postfix -c "$conf" start
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
