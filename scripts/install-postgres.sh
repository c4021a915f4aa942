#!/usr/bin/env bash
# PostgreSQL server binaries for the question-log tests (tests/assistant/test_question_log.py
# starts a throwaway cluster with initdb/pg_ctl on a loopback port; no system service is used).
# Idempotent: does nothing when initdb is already installed.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL ontbreekt; installeer het als root: apt-get install -y postgresql" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
# The package starts a system cluster; the tests do not need it.
if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header 2>/dev/null | while read -r version name _; do
        pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
    done
fi
echo "PostgreSQL geïnstalleerd: $(ls -d /usr/lib/postgresql/*/bin | tail -1)"
