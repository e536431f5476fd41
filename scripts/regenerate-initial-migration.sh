#!/usr/bin/env bash
# Before the first release the schema is one initial migration, regenerated from the models.
# Run after changing any model: it rewrites src/vigie/storage/migrations/versions/0001_initial.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f src/vigie/storage/migrations/versions/0001_initial.py
"$PY" - "$tmp/schema.sqlite3" <<'PYEOF'
import sys
from alembic import command
from vigie.storage.migrate import alembic_config
cfg = alembic_config(f"sqlite:///{sys.argv[1]}")
command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
PYEOF
mv src/vigie/storage/migrations/versions/0001_initial_schema.py src/vigie/storage/migrations/versions/0001_initial.py
.venv/bin/ruff format --quiet src/vigie/storage/migrations/versions/0001_initial.py
echo "regenerated src/vigie/storage/migrations/versions/0001_initial.py"
