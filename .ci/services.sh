#!/usr/bin/env bash
# Install what the tests need from Debian's packages, without prompts, in one apt run:
#
#   postgresql  the server binaries (/usr/lib/postgresql/*/bin) the register's tests start a
#               throwaway cluster from (tests/store_fixtures.py). Debian's package would also
#               create and start a "main" cluster on port 5432: nothing uses it, so it is not
#               created.
#   chromium    /usr/bin/chromium, which tests/test_render_browser.py drives through
#               Playwright (Playwright never downloads a browser).
#
# Usage: bash .ci/services.sh [postgresql] [chromium]   (both when none is named)
# What is installed already is left alone. Run the tests with QAFRAMEWORK_REQUIRE_POSTGRES=1
# and QAFRAMEWORK_REQUIRE_BROWSER=1 so that a missing one fails them instead of skipping.
set -euo pipefail

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(postgresql chromium)

postgres_bin() { compgen -G "/usr/lib/postgresql/*/bin/initdb" | head -n 1; }
installed() {
    case "$1" in
        postgresql) [ -n "$(postgres_bin)" ] ;;
        chromium) [ -x /usr/bin/chromium ] ;;
        *) echo "services.sh: unknown service $1 (postgresql, chromium)" >&2; exit 2 ;;
    esac
}
describe() {
    case "$1" in
        postgresql) postgres_bin ;;
        chromium) /usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium ;;
    esac
}

missing=()
for service in "${wanted[@]}"; do
    if installed "$service"; then
        echo "services.sh: $service already installed: $(describe "$service")"
    else
        missing+=("$service")
    fi
done
[ ${#missing[@]} -gt 0 ] || exit 0

run_as_root=()
if [ "$(id -u)" -ne 0 ]; then
    run_as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    "${run_as_root[@]}" mkdir -p /etc/postgresql-common
    if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
        echo "create_main_cluster = false" | "${run_as_root[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
    fi
fi
"${run_as_root[@]}" apt-get update
"${run_as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
for service in "${missing[@]}"; do
    installed "$service" || {
        echo "services.sh: the $service package installed nothing the tests can use" >&2
        exit 1
    }
    echo "services.sh: installed $service: $(describe "$service")"
done
