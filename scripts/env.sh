# Sourced by the other scripts. The machine's own python3 (botocore 1.43 with current API models, moto) is a
# pyenv install that only interactive shells put on PATH; CI's non-interactive shell must find it too.
if [ -d "${PYENV_ROOT:-$HOME/.pyenv}/shims" ]; then
  export PYENV_ROOT="${PYENV_ROOT:-$HOME/.pyenv}"
  case ":$PATH:" in
    *":$PYENV_ROOT/shims:"*) ;;
    *) export PATH="$PYENV_ROOT/shims:$PYENV_ROOT/bin:$PATH" ;;
  esac
fi
