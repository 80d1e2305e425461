# Sourced by the other scripts: creates .venv on first use and installs the project into it.
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
. .venv/bin/activate
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  python -m pip install -q --upgrade pip
  # setuptools prints an "Editable installation" banner even under -q: not for a newcomer's eyes.
  PYTHONWARNINGS="ignore:Editable installation" python -m pip install -q -e '.[dev]'
  touch .venv/.installed
fi
