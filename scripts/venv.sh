# Sourced by the other scripts: creates .venv on first use and installs the project into it.
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
. .venv/bin/activate
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  python -m pip install -q --upgrade pip
  python -m pip install -q -e '.[dev]'
  touch .venv/.installed
fi
