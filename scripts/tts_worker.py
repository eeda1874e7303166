"""Frontdesk's hibari TTS worker: loads the voice once, then serves requests forever.

Protocol (the Rust side is src/tts/hibari.rs; the binary embeds this file):
  stdin:  one JSON object a line: {"text": "...", "speed": 1.0}
  stdout: one JSON header line, then the audio:
          {"ok": true, "samples": N, "rate": 24000}  followed by N little-endian int16 samples
          {"ok": false, "error": "..."}              on failure (the worker keeps serving)
  At start it prints {"ready": true, "rate": 24000} once the voice is loaded and warm.
"""
import json
import os
import sys


def main():
    # The protocol owns the real stdout; anything a library prints goes to stderr.
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    try:
        import numpy as np
        from hibari import Hibari
        tts = Hibari(threads=1)
        tts("Warm up.", seed=0)
    except Exception as e:  # noqa: BLE001 - report any load failure to the parent
        out.write((json.dumps({"ready": False, "error": f"{type(e).__name__}: {e}"}) + "\n").encode())
        return 1
    rate = int(tts.sample_rate)
    out.write((json.dumps({"ready": True, "rate": rate}) + "\n").encode())
    for line in sys.stdin.buffer:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            text = str(req.get("text", ""))
            speed = float(req.get("speed", 1.0))
            audio = tts(text, speed=speed, seed=req.get("seed")) if text.strip() else np.zeros(0, np.float32)
            pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
            out.write((json.dumps({"ok": True, "samples": len(pcm) // 2, "rate": rate}) + "\n").encode())
            out.write(pcm)
        except Exception as e:  # noqa: BLE001 - one bad request must not kill the worker
            out.write((json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}) + "\n").encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
