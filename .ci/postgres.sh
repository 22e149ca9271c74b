#!/usr/bin/env bash
# Install Debian's PostgreSQL server for the register's tests, without prompts.
#
# The tests start a throwaway cluster of their own (in a temporary directory, on a unix
# socket) from the server binaries in /usr/lib/postgresql/*/bin; this script only makes
# sure those binaries are there. Debian's package would also create and start a "main"
# cluster on port 5432: nothing uses it, so it is not created.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "postgres.sh: PostgreSQL server already installed: $(compgen -G '/usr/lib/postgresql/*/bin/initdb' | head -n 1)"
    exit 0
fi

run_as_root=()
if [ "$(id -u)" -ne 0 ]; then
    run_as_root=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${run_as_root[@]}" mkdir -p /etc/postgresql-common
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    echo "create_main_cluster = false" | "${run_as_root[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
"${run_as_root[@]}" apt-get update
"${run_as_root[@]}" apt-get install -y --no-install-recommends postgresql
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || {
    echo "postgres.sh: the postgresql package installed no initdb" >&2
    exit 1
}
echo "postgres.sh: installed $(compgen -G '/usr/lib/postgresql/*/bin/initdb' | head -n 1)"
