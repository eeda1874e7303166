"""Measures Smart Turn v3.2 (pipecat-ai's end-of-turn model) on Frontdesk's phone line.

Each sampled caller line of the corpus (tests/data/callers/heard.jsonl: its text, caller voice,
rate and line noise) is spoken by the caller voice (scripts/tts_worker.py), put through the
8 kHz mu-law line with its noise, brought back to 16 kHz, and cut twice over: at its end plus
200 ms ("complete"), and at every pause of 100 ms or more inside it with at least 300 ms of
speech still to come ("incomplete": where an endpointer would wonder). The model's probability
of a finished turn is printed per kind of line (short, long, a number, a spelling).

    .venv/bin/python scripts/smart_turn_eval.py [lines per kind] [seed]

Needs the pipecat-ai wheel that scripts/setup.sh downloads (its model and feature code are read
from the wheel, not copied here).
"""
import glob
import importlib.util
import json
import os
import random
import re
import sys
import tempfile
import time
import zipfile

import numpy as np
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tts_worker  # noqa: E402

CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "frontdesk", "wheels")
SMART = "pipecat/audio/turn/smart_turn/"


def from_wheel(tmp):
    wheel = sorted(glob.glob(os.path.join(CACHE, "pipecat_ai-1.14.0-*.whl")))
    if not wheel:
        sys.exit(f"no pipecat-ai wheel in {CACHE}: run scripts/setup.sh")
    with zipfile.ZipFile(wheel[0]) as z:
        model = os.path.join(tmp, "smart-turn.onnx")
        with open(model, "wb") as f:
            f.write(z.read(SMART + "data/smart-turn-v3.2-cpu.onnx"))
        feats = os.path.join(tmp, "features.py")
        with open(feats, "wb") as f:
            f.write(z.read(SMART + "_whisper_features.py"))
    spec = importlib.util.spec_from_file_location("features", feats)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return model, mod.compute_whisper_log_mel_features


def resample(x, a, b):
    """Band-limited resampling of a whole clip (FFT)."""
    n = int(round(len(x) * b / a))
    spec = np.fft.rfft(x)
    out = np.zeros(n // 2 + 1, complex)
    k = min(len(out), len(spec))
    out[:k] = spec[:k]
    return np.fft.irfft(out, n) * (n / len(x))


def mulaw(x):
    """Through G.711 mu-law and back (8-bit companding)."""
    mu = 255.0
    y = np.sign(x) * np.log1p(mu * np.abs(np.clip(x, -1, 1))) / np.log1p(mu)
    q = np.round((y + 1) / 2 * 255) / 255 * 2 - 1
    return np.sign(q) * np.expm1(np.abs(q) * np.log1p(mu)) / mu


def kind(text):
    if re.search(r"\b[A-Z]\.( [A-Z]\.)+", text):
        return "spelling"
    if sum(c.isdigit() for c in text) >= 6:
        return "number"
    return "long" if len(text.split()) >= 8 else "short"


def main():
    per_kind = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rows = [json.loads(line) for line in open(os.path.join(root, "tests/data/callers/heard.jsonl"))]
    by_kind = {}
    for r in rows:
        by_kind.setdefault(kind(r["text"]), []).append(r)
    lines = [r for rs in by_kind.values() for r in random.sample(rs, min(per_kind, len(rs)))]
    with tempfile.TemporaryDirectory() as tmp:
        model, features = from_wheel(tmp)
        so = ort.SessionOptions()
        so.intra_op_num_threads = so.inter_op_num_threads = 1
        session = ort.InferenceSession(model, so)
        voices, results = {}, []

        def finished(a16):
            n = 8 * 16000
            a = a16[-n:] if len(a16) > n else np.pad(a16, (n - len(a16), 0))
            f = features(a.astype(np.float32), do_normalize=True)
            t = time.perf_counter()
            p = session.run(None, {"input_features": f[None].astype(np.float32)})[0][0].item()
            return p, time.perf_counter() - t

        for r in lines:
            if r["voice"] not in voices:
                voices[r["voice"]] = tts_worker.load(r["voice"])
            say, rate = voices[r["voice"]]
            a8 = resample(np.asarray(say(r["text"], float(r["rate"]), 0), np.float64), rate, 8000)
            frames = len(a8) // 80  # 10 ms
            level = np.array([20 * np.log10(np.sqrt(np.mean(a8[i * 80:(i + 1) * 80] ** 2)) + 1e-9)
                              for i in range(frames)])
            speech = level > -40
            voiced = np.nonzero(speech)[0]
            if len(voiced) == 0:
                continue
            line = np.concatenate([a8, np.zeros(8000)])
            if r.get("noise") not in (None, "none"):
                line += np.random.default_rng(0).normal(0, 10 ** (float(r["noise"]) / 20), len(line))
            a16 = resample(mulaw(line), 8000, 16000)

            def upto(frame, tail_ms):
                return a16[:frame * 160 + tail_ms * 16]

            p, dt = finished(upto(voiced[-1] + 1, 200))
            results.append((kind(r["text"]), "complete", p, dt))
            i = voiced[0]
            while i <= voiced[-1]:
                if speech[i]:
                    i += 1
                    continue
                j = i
                while j <= voiced[-1] and not speech[j]:
                    j += 1
                if j - i >= 10 and speech[j:].sum() >= 30:
                    p, dt = finished(upto(i, min(200, (j - i) * 10)))
                    results.append((kind(r["text"]), "incomplete", p, dt))
                i = j
    print("| line | cut | n | said finished (p > 0.5) | median p |")
    print("| --- | --- | ---: | ---: | ---: |")
    for k in ["short", "long", "number", "spelling"]:
        for cut in ["complete", "incomplete"]:
            ps = np.array([p for kk, c, p, _ in results if kk == k and c == cut])
            if len(ps):
                print(f"| {k} | {cut} | {len(ps)} | {np.mean(ps > 0.5):.0%} | {np.median(ps):.2f} |")
    dts = sorted(dt for *_, dt in results)
    print(f"inference: p50 {1000 * dts[len(dts) // 2]:.0f} ms, p95 {1000 * dts[int(len(dts) * 0.95)]:.0f} ms (one thread)")


if __name__ == "__main__":
    main()
