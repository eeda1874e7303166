#!/usr/bin/env python3
"""Convert a Whisper model in CTranslate2 format into the GGML file whisper.cpp loads.

Frontdesk transcribes with whisper.cpp (through the `whisper-rs` crate), which reads
the legacy GGML container ("ggml-*.bin").  The Whisper weights we can install from a
package registry, however, ship in CTranslate2's format (the one faster-whisper uses).
This script turns the latter into the former, using nothing but Python 3 and numpy.

Usage:
    python scripts/convert_ct2_to_ggml.py --ct2 DIR --out models/ggml-tiny.en.bin
    python scripts/convert_ct2_to_ggml.py --ct2 DIR \
        --model-bin-parts DIR/model.bin.part1 OTHER/model.bin.part2 --out models/ggml-base.bin

DIR must hold `config.json` and `tokenizer.json` (or `vocabulary.txt`) and, unless
--model-bin-parts is given, `model.bin` (or `model.bin.part1`, `model.bin.part2`, ...,
which are then joined in numeric order).

Input: CTranslate2 binary model, version 6, spec "WhisperSpec":
    u32 version | str spec_name | u32 spec_revision | u32 n_variables |
    n_variables x (str name | u8 rank | u32 dims[rank] | u8 dtype | u32 n_bytes | data) |
    u32 n_aliases | n_aliases x (str alias | str target)
  where str = u16 length (counting a trailing NUL) + UTF-8 bytes + NUL, and dtype is
  0 float32, 1 int8, 2 int16, 3 int32, 4 float16, 5 bfloat16.  Weights quantized to
  int8/int16 carry a sibling "<name>_scale" variable (quantized = round(w * scale)).

Output: whisper.cpp GGML model (all little-endian):
    u32 magic 0x67676d6c ("ggml")
    i32 n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
        n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype
    i32 n_mel, i32 n_freq, f32 filters[n_mel][n_freq]   (slaney mel filterbank)
    i32 n_tokens, n_tokens x (u32 len, raw bytes)       (base byte-level BPE tokens only;
                                                          whisper.cpp synthesises the specials)
    tensors until EOF: i32 n_dims, i32 name_len, i32 type (0 f32, 1 f16),
        i32 ne[n_dims] (fastest-varying dimension first, i.e. numpy shape reversed),
        name bytes, data
  Which tensors whisper.cpp wants, their shapes and which must be f32 is fixed by
  whisper_model_load(); the plan below mirrors it and the result is checked after
  writing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import struct
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

GGML_MAGIC = 0x67676D6C
CT2_BINARY_VERSION = 6
CT2_SPEC_NAME = "WhisperSpec"
KNOWN_SPEC_REVISIONS = {3}

# CTranslate2 DataType ids (include/ctranslate2/types.h order).
CT2_DTYPES = {
    0: ("float32", np.dtype("<f4")),
    1: ("int8", np.dtype("i1")),
    2: ("int16", np.dtype("<i2")),
    3: ("int32", np.dtype("<i4")),
    4: ("float16", np.dtype("<f2")),
    5: ("bfloat16", np.dtype("<u2")),  # raw bits, widened to float32 on use
}

GGML_TYPE_F32 = 0
GGML_TYPE_F16 = 1
# Quantized block types (ggml.h `enum ggml_type`); each packs 32 consecutive values of a row.
GGML_TYPE_Q4_0 = 2
GGML_TYPE_Q5_0 = 6
GGML_TYPE_Q5_1 = 7
GGML_TYPE_Q8_0 = 8
GGML_TYPE_NAMES = {
    GGML_TYPE_F32: "f32", GGML_TYPE_F16: "f16", GGML_TYPE_Q4_0: "q4_0",
    GGML_TYPE_Q5_0: "q5_0", GGML_TYPE_Q5_1: "q5_1", GGML_TYPE_Q8_0: "q8_0",
}
# Bytes per block of QK values (ggml-common.h: block_q4_0 = f16 d + 16 nibbles; block_q5_0 =
# f16 d + u32 fifth bits + 16 nibbles; block_q5_1 = f16 d + f16 m + u32 + 16 nibbles;
# block_q8_0 = f16 d + 32 int8).
QK = 32
BLOCK_BYTES = {GGML_TYPE_Q4_0: 18, GGML_TYPE_Q5_0: 22, GGML_TYPE_Q5_1: 24, GGML_TYPE_Q8_0: 34}
# --type name -> (ggml type of the weight matrices, ggml_ftype written in the header).
WEIGHT_TYPES = {
    "f16": (GGML_TYPE_F16, 1),
    "q8_0": (GGML_TYPE_Q8_0, 7),
    "q5_1": (GGML_TYPE_Q5_1, 9),
    "q5_0": (GGML_TYPE_Q5_0, 8),
    "q4_0": (GGML_TYPE_Q4_0, 2),
}
# A quantized file's header says which version of the block formats it holds, as whisper.cpp's
# quantize tool writes it: ftype + GGML_QNT_VERSION * GGML_QNT_VERSION_FACTOR.
GGML_QNT_VERSION = 2
GGML_QNT_VERSION_FACTOR = 1000


# The most a quantized tensor may differ from its values (RMS over RMS) before the converter
# takes its packing for wrong: about twice what each format's step size gives on Whisper's
# weights.
MAX_REL_ERROR = {GGML_TYPE_Q8_0: 0.02, GGML_TYPE_Q5_1: 0.08, GGML_TYPE_Q5_0: 0.10, GGML_TYPE_Q4_0: 0.20}


def tensor_nbytes(ggml_type: int, ne: tuple[int, ...]) -> int:
    n = int(np.prod(ne, dtype=np.int64))
    if ggml_type in BLOCK_BYTES:
        return n // QK * BLOCK_BYTES[ggml_type]
    return n * (2 if ggml_type == GGML_TYPE_F16 else 4)

# Whisper front-end constants (fixed by the model family, not by the checkpoint).
SAMPLE_RATE = 16000
N_FFT = 400


class ConversionError(Exception):
    """Malformed or unsupported input; reported to the user without a traceback."""


# --------------------------------------------------------------------------------------
# CTranslate2 reader
# --------------------------------------------------------------------------------------


class ChainedReader:
    """Reads a sequence of files as if they were one (model.bin split into parts)."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        self.sizes = [p.stat().st_size for p in paths]
        self.total = sum(self.sizes)
        self._index = 0
        self._fh = open(paths[0], "rb")
        self.pos = 0

    def read(self, n: int, what: str) -> bytes:
        chunks = []
        need = n
        while need > 0:
            chunk = self._fh.read(need)
            if chunk:
                chunks.append(chunk)
                need -= len(chunk)
                continue
            if self._index + 1 >= len(self.paths):
                joined = " + ".join(str(p) for p in self.paths)
                hint = ""
                if len(self.paths) == 1:
                    hint = (
                        " If this model ships split (model.bin.part1, model.bin.part2, ...),"
                        " pass every part with --model-bin-parts."
                    )
                raise ConversionError(
                    f"model.bin ended after {self.total} bytes while reading {what} ({joined});"
                    f" the file is truncated or not a CTranslate2 model.{hint}"
                )
            self._fh.close()
            self._index += 1
            self._fh = open(self.paths[self._index], "rb")
        self.pos += n
        return b"".join(chunks)

    def at_end(self) -> bool:
        return self.pos == self.total

    def close(self) -> None:
        self._fh.close()


@dataclass
class Ct2Variable:
    name: str
    dtype_name: str
    shape: tuple[int, ...]
    array: np.ndarray  # already reshaped, dtype as stored


@dataclass
class Ct2Model:
    version: int
    spec: str
    revision: int
    variables: dict[str, Ct2Variable]
    aliases: dict[str, str]


def _read_u8(r: ChainedReader, what: str) -> int:
    return r.read(1, what)[0]


def _read_u16(r: ChainedReader, what: str) -> int:
    return struct.unpack("<H", r.read(2, what))[0]


def _read_u32(r: ChainedReader, what: str) -> int:
    return struct.unpack("<I", r.read(4, what))[0]


def _read_str(r: ChainedReader, what: str) -> str:
    n = _read_u16(r, what)
    raw = r.read(n, what)
    if n == 0 or raw[-1] != 0:
        raise ConversionError(f"malformed string for {what} (no trailing NUL); not a CTranslate2 v6 model?")
    try:
        return raw[:-1].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConversionError(f"malformed string for {what}: {exc}") from None


def read_ct2_model(paths: list[Path]) -> Ct2Model:
    for p in paths:
        if not p.is_file():
            raise ConversionError(f"missing model file: {p}")
    r = ChainedReader(paths)
    try:
        version = _read_u32(r, "binary version")
        if version != CT2_BINARY_VERSION:
            raise ConversionError(
                f"unsupported CTranslate2 binary version {version} (this converter reads version"
                f" {CT2_BINARY_VERSION}); re-export the model with a current ctranslate2, or check"
                f" that the first file given is model.bin / model.bin.part1"
            )
        spec = _read_str(r, "spec name")
        if spec != CT2_SPEC_NAME:
            raise ConversionError(f"model spec is {spec!r}, expected {CT2_SPEC_NAME!r}: not a Whisper model")
        revision = _read_u32(r, "spec revision")
        n_vars = _read_u32(r, "variable count")
        if n_vars == 0 or n_vars > 100000:
            raise ConversionError(f"implausible variable count {n_vars}")
        variables: dict[str, Ct2Variable] = {}
        for i in range(n_vars):
            name = _read_str(r, f"name of variable #{i}")
            rank = _read_u8(r, f"rank of {name}")
            if rank > 8:
                raise ConversionError(f"variable {name} has implausible rank {rank}")
            shape = tuple(_read_u32(r, f"shape of {name}") for _ in range(rank))
            dtype_id = _read_u8(r, f"dtype of {name}")
            if dtype_id not in CT2_DTYPES:
                raise ConversionError(
                    f"variable {name} has unknown dtype id {dtype_id}"
                    f" (known: {', '.join(f'{k}={v[0]}' for k, v in CT2_DTYPES.items())})"
                )
            dtype_name, np_dtype = CT2_DTYPES[dtype_id]
            n_bytes = _read_u32(r, f"byte count of {name}")
            count = int(np.prod(shape, dtype=np.int64)) if shape else 1
            if n_bytes != count * np_dtype.itemsize:
                raise ConversionError(
                    f"variable {name}: {n_bytes} bytes stored but shape {list(shape)} of {dtype_name}"
                    f" needs {count * np_dtype.itemsize}"
                )
            data = r.read(n_bytes, f"data of {name}")
            array = np.frombuffer(data, dtype=np_dtype).reshape(shape)
            if name in variables:
                raise ConversionError(f"variable {name} is stored twice")
            variables[name] = Ct2Variable(name, dtype_name, shape, array)
        n_aliases = _read_u32(r, "alias count")
        aliases: dict[str, str] = {}
        for _ in range(n_aliases):
            alias = _read_str(r, "alias name")
            target = _read_str(r, f"target of alias {alias}")
            aliases[alias] = target
        if not r.at_end():
            raise ConversionError(
                f"{r.total - r.pos} unexpected trailing bytes after the alias table;"
                f" wrong or extra --model-bin-parts?"
            )
    finally:
        r.close()
    for alias, target in aliases.items():
        if target not in variables:
            raise ConversionError(f"alias {alias} points at missing variable {target}")
    return Ct2Model(version, spec, revision, variables, aliases)


class WeightSource:
    """Name lookup over a Ct2Model that resolves aliases and undoes quantization."""

    def __init__(self, model: Ct2Model):
        self.model = model
        self.used: set[str] = set()

    def _lookup(self, name: str) -> Ct2Variable | None:
        target = self.model.aliases.get(name, name)
        return self.model.variables.get(target)

    def has(self, name: str) -> bool:
        return self._lookup(name) is not None

    def get(self, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
        """Returns the variable as float16 (if stored so) or float32."""
        var = self._lookup(name)
        if var is None:
            raise ConversionError(f"missing variable {name} in model.bin (unsupported Whisper variant?)")
        self.used.add(var.name)
        arr = var.array
        if var.dtype_name in ("int8", "int16", "int32"):
            # The scale sits next to the stored variable (an alias's target), not the alias.
            scale_var = self._lookup(var.name + "_scale")
            if scale_var is None:
                raise ConversionError(f"variable {var.name} is {var.dtype_name} but has no {var.name}_scale to dequantize it")
            self.used.add(scale_var.name)
            scale = self._as_float32(scale_var)
            values = arr.astype(np.float32)
            if scale.ndim == 0 or scale.size == 1:
                arr = values / float(scale.reshape(()))
            elif scale.shape == (values.shape[0],):
                arr = values / scale.reshape((-1,) + (1,) * (values.ndim - 1))
            else:
                raise ConversionError(f"{name}_scale has shape {list(scale.shape)}, cannot apply to {list(values.shape)}")
        elif var.dtype_name == "bfloat16":
            arr = self._as_float32(var)
        elif var.dtype_name not in ("float16", "float32"):
            raise ConversionError(f"variable {name} has unexpected dtype {var.dtype_name}")
        if shape is not None and tuple(arr.shape) != tuple(shape):
            raise ConversionError(f"variable {name} has shape {list(arr.shape)}, expected {list(shape)}")
        return arr

    @staticmethod
    def _as_float32(var: Ct2Variable) -> np.ndarray:
        if var.dtype_name == "bfloat16":
            return (var.array.astype(np.uint32) << 16).view(np.float32)
        return var.array.astype(np.float32)

    def scalar_int(self, name: str) -> int:
        var = self._lookup(name)
        if var is None:
            raise ConversionError(f"missing variable {name} in model.bin")
        if var.array.size != 1 or var.dtype_name not in ("int8", "int16", "int32"):
            raise ConversionError(f"{name} should be an integer scalar, got {var.dtype_name} {list(var.shape)}")
        self.used.add(self.model.aliases.get(name, name))
        return int(var.array.reshape(()))


# --------------------------------------------------------------------------------------
# Hyperparameters
# --------------------------------------------------------------------------------------


@dataclass
class HParams:
    n_vocab: int
    n_audio_ctx: int
    n_audio_state: int
    n_audio_head: int
    n_audio_layer: int
    n_text_ctx: int
    n_text_state: int
    n_text_head: int
    n_text_layer: int
    n_mels: int
    ftype: int

    def pack(self) -> bytes:
        return struct.pack(
            "<11i",
            self.n_vocab, self.n_audio_ctx, self.n_audio_state, self.n_audio_head,
            self.n_audio_layer, self.n_text_ctx, self.n_text_state, self.n_text_head,
            self.n_text_layer, self.n_mels, self.ftype,
        )

    FIELDS = (
        "n_vocab", "n_audio_ctx", "n_audio_state", "n_audio_head", "n_audio_layer",
        "n_text_ctx", "n_text_state", "n_text_head", "n_text_layer", "n_mels", "ftype",
    )


def count_layers(variables: dict[str, Ct2Variable], prefix: str) -> int:
    pattern = re.compile(re.escape(prefix) + r"/layer_(\d+)/")
    found = {int(m.group(1)) for name in variables if (m := pattern.match(name))}
    if not found:
        raise ConversionError(f"no {prefix} layers found in model.bin")
    n = max(found) + 1
    missing = sorted(set(range(n)) - found)
    if missing:
        raise ConversionError(f"{prefix} layers {missing} are missing from model.bin")
    return n


def derive_hparams(src: WeightSource, ftype: int) -> HParams:
    v = src.model.variables
    n_audio_layer = count_layers(v, "encoder")
    n_text_layer = count_layers(v, "decoder")
    conv1 = src.get("encoder/conv1/weight")
    if conv1.ndim != 3 or conv1.shape[2] != 3:
        raise ConversionError(f"encoder/conv1/weight has shape {list(conv1.shape)}, expected [state, n_mels, 3]")
    n_audio_state, n_mels = int(conv1.shape[0]), int(conv1.shape[1])
    enc_pe = src.get("encoder/position_encodings/encodings")
    dec_pe = src.get("decoder/position_encodings/encodings")
    emb = src.get("decoder/embeddings/weight")
    if enc_pe.ndim != 2 or enc_pe.shape[1] != n_audio_state:
        raise ConversionError(f"encoder position encodings have shape {list(enc_pe.shape)}")
    n_text_state = int(emb.shape[1])
    if dec_pe.ndim != 2 or dec_pe.shape[1] != n_text_state:
        raise ConversionError(f"decoder position encodings have shape {list(dec_pe.shape)}")
    if n_text_state != n_audio_state:
        raise ConversionError(f"encoder width {n_audio_state} != decoder width {n_text_state}; whisper.cpp requires them equal")
    hp = HParams(
        n_vocab=int(emb.shape[0]),
        n_audio_ctx=int(enc_pe.shape[0]),
        n_audio_state=n_audio_state,
        n_audio_head=src.scalar_int("encoder/num_heads"),
        n_audio_layer=n_audio_layer,
        n_text_ctx=int(dec_pe.shape[0]),
        n_text_state=n_text_state,
        n_text_head=src.scalar_int("decoder/num_heads"),
        n_text_layer=n_text_layer,
        n_mels=n_mels,
        ftype=ftype,
    )
    for heads, state, side in ((hp.n_audio_head, hp.n_audio_state, "encoder"), (hp.n_text_head, hp.n_text_state, "decoder")):
        if heads <= 0 or state % heads != 0:
            raise ConversionError(f"{side} has {heads} heads, which does not divide its width {state}")
    # Sanity checks on flags whisper.cpp's fixed architecture assumes.
    # (decoder/activation 3 is CTranslate2's Activation.GELU.)
    for flag, want in (("decoder/pre_norm", 1), ("decoder/scale_embeddings", 0), ("decoder/alibi", 0),
                       ("decoder/start_from_zero_embedding", 0), ("decoder/activation", 3)):
        if src.has(flag) and src.scalar_int(flag) != want:
            raise ConversionError(f"{flag} = {src.scalar_int(flag)}, but whisper.cpp's Whisper graph needs {want}")
    return hp


# --------------------------------------------------------------------------------------
# Tokenizer / vocabulary
# --------------------------------------------------------------------------------------


def byte_level_decoder() -> dict[str, int]:
    """Inverse of GPT-2's bytes->printable-unicode table used by byte-level BPE."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("\u00a1"), ord("\u00ac") + 1))
        + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    )
    table: dict[str, int] = {chr(b): b for b in printable}
    extra = 0
    for b in range(256):
        if b not in table.values():
            table[chr(256 + extra)] = b
            extra += 1
    assert len(table) == 256
    return table


def load_vocabulary(ct2_dir: Path) -> tuple[list[str | None], int]:
    """Returns (token strings indexed by id, id of <|endoftext|>)."""
    tok_path = ct2_dir / "tokenizer.json"
    vocab_path = ct2_dir / "vocabulary.txt"
    if tok_path.is_file():
        try:
            tok = json.loads(tok_path.read_text(encoding="utf-8"))
            model = tok["model"]
            vocab: dict[str, int] = dict(model["vocab"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ConversionError(f"{tok_path} is not a Hugging Face tokenizer.json: {exc}") from None
        if model.get("type") not in (None, "BPE"):
            raise ConversionError(f"{tok_path}: tokenizer model type {model.get('type')!r}, expected BPE")
        for added in tok.get("added_tokens", []):
            vocab.setdefault(added["content"], added["id"])
        size = max(vocab.values()) + 1
        by_id: list[str | None] = [None] * size
        for s, i in vocab.items():
            if by_id[i] is None:
                by_id[i] = s
    elif vocab_path.is_file():
        lines = vocab_path.read_text(encoding="utf-8").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        by_id = list(lines)
    else:
        raise ConversionError(f"neither {tok_path} nor {vocab_path} exists; the vocabulary is needed")
    try:
        eot = by_id.index("<|endoftext|>")
    except ValueError:
        raise ConversionError("the vocabulary has no <|endoftext|> token; not a Whisper tokenizer") from None
    return by_id, eot


def base_tokens_as_bytes(by_id: list[str | None], n_base: int) -> list[bytes]:
    decode = byte_level_decoder()
    out: list[bytes] = []
    for i in range(n_base):
        s = by_id[i] if i < len(by_id) else None
        if s is None:
            out.append(b"")
            continue
        try:
            out.append(bytes(decode[ch] for ch in s))
        except KeyError as exc:
            raise ConversionError(f"token {i} ({s!r}) is not byte-level BPE text (char {exc})") from None
    return out


# --------------------------------------------------------------------------------------
# Mel filterbank (librosa.filters.mel with htk=False, norm="slaney")
# --------------------------------------------------------------------------------------


def _hz_to_mel_slaney(hz: np.ndarray) -> np.ndarray:
    hz = np.asarray(hz, dtype=np.float64)
    f_sp = 200.0 / 3.0
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = math.log(6.4) / 27.0
    linear = hz / f_sp
    with np.errstate(divide="ignore"):
        logpart = min_log_mel + np.log(np.maximum(hz, 1e-10) / min_log_hz) / logstep
    return np.where(hz >= min_log_hz, logpart, linear)


def _mel_to_hz_slaney(mel: np.ndarray) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    f_sp = 200.0 / 3.0
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = math.log(6.4) / 27.0
    return np.where(mel >= min_log_mel, min_log_hz * np.exp(logstep * (mel - min_log_mel)), f_sp * mel)


def mel_filterbank(n_mels: int, sr: int = SAMPLE_RATE, n_fft: int = N_FFT) -> np.ndarray:
    """Triangular slaney-normalised mel filters, shape (n_mels, 1 + n_fft // 2), float32."""
    fft_hz = np.fft.rfftfreq(n_fft, d=1.0 / sr)  # bin centre frequencies, 0 .. sr/2
    edges_mel = np.linspace(_hz_to_mel_slaney(0.0), _hz_to_mel_slaney(sr / 2.0), n_mels + 2)
    edges_hz = _mel_to_hz_slaney(edges_mel)
    widths = np.diff(edges_hz)
    dist = edges_hz[:, None] - fft_hz[None, :]
    rising = -dist[:-2] / widths[:-1, None]
    falling = dist[2:] / widths[1:, None]
    # Rounding to float32 before the area normalisation (then again after) reproduces
    # Whisper's own mel_filters.npz bit for bit.
    weights = np.maximum(0.0, np.minimum(rising, falling)).astype(np.float32)
    area_norm = 2.0 / (edges_hz[2:] - edges_hz[:-2])
    return (weights.astype(np.float64) * area_norm[:, None]).astype(np.float32)


# --------------------------------------------------------------------------------------
# Quantization: the block formats of ggml (ggml-common.h), computed as ggml's reference
# quantizers do (ggml-quants.c, quantize_row_*_ref, which whisper.cpp's quantize tool runs),
# in float32, over blocks of 32 consecutive values along each row (ne[0]).
# --------------------------------------------------------------------------------------


def _c_round(v: np.ndarray) -> np.ndarray:
    """C's roundf: halves away from zero (numpy's round goes to even)."""
    return np.trunc(v + np.copysign(np.float32(0.5), v)).astype(np.float32)


def _signed_absmax(blocks: np.ndarray) -> np.ndarray:
    """Each block's value of largest magnitude, with its sign (the first one on a tie)."""
    idx = np.argmax(np.abs(blocks), axis=1)
    return blocks[np.arange(blocks.shape[0]), idx]


def _inverse(d: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.where(d != 0, np.float32(1.0) / np.where(d != 0, d, np.float32(1.0)), np.float32(0.0)).astype(np.float32)


def _nibbles_and_fifth_bits(q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Packs 32 quants of 0..31 a block as ggml does: value j and j+16 share byte j's low and
    high nibble; bit 4 of value j goes to bit j of a little-endian u32."""
    lo, hi = q[:, :16], q[:, 16:]
    qs = ((lo & 0x0F) | ((hi & 0x0F) << 4)).astype(np.uint8)
    bits = ((q >> 4) & 1).astype(np.uint32)
    qh = np.zeros(q.shape[0], dtype=np.uint32)
    for j in range(QK):
        qh |= bits[:, j] << np.uint32(j)
    return qs, qh.astype("<u4").view(np.uint8).reshape(-1, 4)


def quantize(arr: np.ndarray, ggml_type: int) -> np.ndarray:
    """`arr` (rows of a multiple of 32 values) as ggml blocks of `ggml_type`, one byte array."""
    x = np.ascontiguousarray(arr, dtype=np.float32)
    if x.shape[-1] % QK != 0:
        raise ConversionError(f"rows of {x.shape[-1]} values cannot be cut into blocks of {QK}")
    b = x.reshape(-1, QK)
    if ggml_type == GGML_TYPE_Q8_0:
        d = (np.max(np.abs(b), axis=1) / np.float32(127)).astype(np.float32)
        q = _c_round(b * _inverse(d)[:, None]).astype(np.int8)
        parts = [d.astype("<f2").view(np.uint8).reshape(-1, 2), q.view(np.uint8)]
    elif ggml_type in (GGML_TYPE_Q5_0, GGML_TYPE_Q4_0):
        levels = 16 if ggml_type == GGML_TYPE_Q5_0 else 8
        d = (_signed_absmax(b) / np.float32(-levels)).astype(np.float32)
        v = np.trunc(b * _inverse(d)[:, None] + np.float32(levels + 0.5))
        q = np.minimum(2 * levels - 1, v.astype(np.int8)).astype(np.uint8)
        dd = d.astype("<f2").view(np.uint8).reshape(-1, 2)
        if ggml_type == GGML_TYPE_Q4_0:
            parts = [dd, (q[:, :16] | (q[:, 16:] << 4)).astype(np.uint8)]
        else:
            qs, qh = _nibbles_and_fifth_bits(q)
            parts = [dd, qh, qs]
    elif ggml_type == GGML_TYPE_Q5_1:
        lo = np.min(b, axis=1)
        d = ((np.max(b, axis=1) - lo) / np.float32(31)).astype(np.float32)
        q = np.trunc((b - lo[:, None]) * _inverse(d)[:, None] + np.float32(0.5)).astype(np.uint8)
        qs, qh = _nibbles_and_fifth_bits(q)
        parts = [d.astype("<f2").view(np.uint8).reshape(-1, 2), lo.astype("<f2").view(np.uint8).reshape(-1, 2), qh, qs]
    else:
        raise ConversionError(f"no quantizer for ggml type {ggml_type}")
    out = np.concatenate(parts, axis=1)
    assert out.shape[1] == BLOCK_BYTES[ggml_type]
    return out.reshape(-1)


def dequantize(raw: np.ndarray, ggml_type: int) -> np.ndarray:
    """The values ggml reads back from blocks of `ggml_type` (to check the packing)."""
    blocks = np.asarray(raw, dtype=np.uint8).reshape(-1, BLOCK_BYTES[ggml_type])
    d = blocks[:, 0:2].copy().view("<f2").astype(np.float32)
    if ggml_type == GGML_TYPE_Q8_0:
        return (blocks[:, 2:].view(np.int8).astype(np.float32) * d).reshape(-1)
    if ggml_type == GGML_TYPE_Q4_0:
        qs = blocks[:, 2:]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8
        return (q * d).reshape(-1)
    start = 4 if ggml_type == GGML_TYPE_Q5_1 else 2
    qh = blocks[:, start:start + 4].copy().view("<u4").reshape(-1)
    qs = blocks[:, start + 4:]
    low = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.uint32)
    fifth = (qh[:, None] >> np.arange(QK, dtype=np.uint32)) & 1
    q = (low | (fifth << 4)).astype(np.float32)
    if ggml_type == GGML_TYPE_Q5_0:
        return ((q - 16) * d).reshape(-1)
    m = blocks[:, 2:4].copy().view("<f2").astype(np.float32)
    return (q * d + m).reshape(-1)


# --------------------------------------------------------------------------------------
# Tensor plan: CTranslate2 variables -> whisper.cpp tensors
# --------------------------------------------------------------------------------------


@dataclass
class OutTensor:
    name: str
    data: np.ndarray  # f16/f32: numpy shape == whisper.cpp shape reversed; quantized: the blocks' bytes
    ggml_type: int
    shape: tuple[int, ...] = ()  # the logical numpy shape (whisper.cpp's ne reversed)
    rel_error: float = 0.0  # quantized: RMS of (read back - original) over RMS of the original

    def __post_init__(self) -> None:
        if not self.shape:
            self.shape = tuple(self.data.shape)


def expected_tensor_count(hp: HParams) -> int:
    # whisper_model_load: 7 encoder globals + 4 decoder globals, 15 tensors per encoder
    # block, 24 per decoder block (self-attention, cross-attention, MLP, 3 layer norms).
    return 11 + 15 * hp.n_audio_layer + 24 * hp.n_text_layer


def plan_tensors(src: WeightSource, hp: HParams, weight_type: int = GGML_TYPE_F16) -> list[OutTensor]:
    """The tensors in whisper.cpp's order. The 2-D weight matrices (attention, MLP, token
    embedding) are written as `weight_type`; the convolutions stay f16 and the biases, norms
    and positional embeddings f32, as whisper.cpp declares them (and as its quantize tool
    leaves them)."""
    conv = GGML_TYPE_F16 if hp.ftype % GGML_QNT_VERSION_FACTOR != 0 else GGML_TYPE_F32
    big = weight_type if conv == GGML_TYPE_F16 else GGML_TYPE_F32
    d_a, d_t = hp.n_audio_state, hp.n_text_state
    out: list[OutTensor] = []

    def put(name: str, arr: np.ndarray, ggml_type: int) -> None:
        if ggml_type in BLOCK_BYTES:
            values = np.ascontiguousarray(arr, dtype=np.float32)
            if not np.all(np.isfinite(values)):
                raise ConversionError(f"{name} has non-finite values")
            packed = quantize(values, ggml_type)
            back = dequantize(packed, ggml_type).reshape(values.shape)
            rms = float(np.sqrt(np.mean(values.astype(np.float64) ** 2))) or 1.0
            err = float(np.sqrt(np.mean((back.astype(np.float64) - values) ** 2))) / rms
            out.append(OutTensor(name, packed, ggml_type, tuple(values.shape), err))
            return
        dt = np.dtype("<f2") if ggml_type == GGML_TYPE_F16 else np.dtype("<f4")
        arr = np.ascontiguousarray(arr, dtype=dt)
        if ggml_type == GGML_TYPE_F16 and not np.all(np.isfinite(arr)):
            raise ConversionError(f"{name} does not fit in float16 (non-finite values)")
        out.append(OutTensor(name, arr, ggml_type))

    def linear(prefix: str, ct2: str, d_in: int, d_out: int, bias: bool = True) -> None:
        put(f"{prefix}.weight", src.get(f"{ct2}/weight", (d_out, d_in)), big)
        if bias:
            put(f"{prefix}.bias", src.get(f"{ct2}/bias", (d_out,)), GGML_TYPE_F32)

    def norm(prefix: str, ct2: str, d: int) -> None:
        put(f"{prefix}.weight", src.get(f"{ct2}/gamma", (d,)), GGML_TYPE_F32)
        put(f"{prefix}.bias", src.get(f"{ct2}/beta", (d,)), GGML_TYPE_F32)

    def split_fused(ct2: str, parts: int, d: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        w = src.get(f"{ct2}/weight", (parts * d, d))
        b = src.get(f"{ct2}/bias", (parts * d,))
        return [w[i * d:(i + 1) * d] for i in range(parts)], [b[i * d:(i + 1) * d] for i in range(parts)]

    def attention_qkv(prefix: str, ws: list[np.ndarray], bs: list[np.ndarray], names=("query", "key", "value")) -> None:
        for (w, b), n in zip(zip(ws, bs), names):
            put(f"{prefix}.{n}.weight", w, big)
            if n == "key":
                # Whisper's key projection has no bias; CTranslate2 stores zeros when fusing.
                # (A constant key bias would not change softmax output anyway.)
                continue
            put(f"{prefix}.{n}.bias", b, GGML_TYPE_F32)

    # ---- encoder
    put("encoder.positional_embedding", src.get("encoder/position_encodings/encodings", (hp.n_audio_ctx, d_a)), GGML_TYPE_F32)
    put("encoder.conv1.weight", src.get("encoder/conv1/weight", (d_a, hp.n_mels, 3)), conv)
    # whisper.cpp declares the conv biases as 2-D ne = [1, n_state]  -> numpy (n_state, 1).
    put("encoder.conv1.bias", src.get("encoder/conv1/bias", (d_a,)).reshape(d_a, 1), GGML_TYPE_F32)
    put("encoder.conv2.weight", src.get("encoder/conv2/weight", (d_a, d_a, 3)), conv)
    put("encoder.conv2.bias", src.get("encoder/conv2/bias", (d_a,)).reshape(d_a, 1), GGML_TYPE_F32)
    for i in range(hp.n_audio_layer):
        c, g = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        norm(f"{g}.attn_ln", f"{c}/self_attention/layer_norm", d_a)
        ws, bs = split_fused(f"{c}/self_attention/linear_0", 3, d_a)
        attention_qkv(f"{g}.attn", ws, bs)
        linear(f"{g}.attn.out", f"{c}/self_attention/linear_1", d_a, d_a)
        norm(f"{g}.mlp_ln", f"{c}/ffn/layer_norm", d_a)
        linear(f"{g}.mlp.0", f"{c}/ffn/linear_0", d_a, 4 * d_a)
        linear(f"{g}.mlp.2", f"{c}/ffn/linear_1", 4 * d_a, d_a)
    norm("encoder.ln_post", "encoder/layer_norm", d_a)

    # ---- decoder
    put("decoder.positional_embedding", src.get("decoder/position_encodings/encodings", (hp.n_text_ctx, d_t)), GGML_TYPE_F32)
    emb = src.get("decoder/embeddings/weight", (hp.n_vocab, d_t))
    put("decoder.token_embedding.weight", emb, big)
    for i in range(hp.n_text_layer):
        c, g = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        norm(f"{g}.attn_ln", f"{c}/self_attention/layer_norm", d_t)
        ws, bs = split_fused(f"{c}/self_attention/linear_0", 3, d_t)
        attention_qkv(f"{g}.attn", ws, bs)
        linear(f"{g}.attn.out", f"{c}/self_attention/linear_1", d_t, d_t)
        norm(f"{g}.cross_attn_ln", f"{c}/attention/layer_norm", d_t)
        q_w = src.get(f"{c}/attention/linear_0/weight", (d_t, d_t))
        q_b = src.get(f"{c}/attention/linear_0/bias", (d_t,))
        kv_w, kv_b = split_fused(f"{c}/attention/linear_1", 2, d_t)
        attention_qkv(f"{g}.cross_attn", [q_w] + kv_w, [q_b] + kv_b)
        linear(f"{g}.cross_attn.out", f"{c}/attention/linear_2", d_t, d_t)
        norm(f"{g}.mlp_ln", f"{c}/ffn/layer_norm", d_t)
        linear(f"{g}.mlp.0", f"{c}/ffn/linear_0", d_t, 4 * d_t)
        linear(f"{g}.mlp.2", f"{c}/ffn/linear_1", 4 * d_t, d_t)
    norm("decoder.ln", "decoder/layer_norm", d_t)

    # whisper.cpp reuses the token embedding as the output projection; make sure the
    # CTranslate2 model really ties them.
    if src.has("decoder/projection/weight"):
        proj = src.get("decoder/projection/weight")
        if proj.shape != emb.shape or not np.array_equal(proj, emb):
            raise ConversionError("decoder/projection/weight differs from the token embedding; whisper.cpp cannot represent an untied output layer")
    if src.has("decoder/projection/bias"):
        if np.any(src.get("decoder/projection/bias") != 0):
            raise ConversionError("decoder/projection/bias is non-zero; whisper.cpp has no output bias")
    return out


# --------------------------------------------------------------------------------------
# GGML writer and validator
# --------------------------------------------------------------------------------------


def write_ggml(path: Path, hp: HParams, filters: np.ndarray, tokens: list[bytes], tensors: list[OutTensor]) -> None:
    with open(path, "wb") as f:
        f.write(struct.pack("<I", GGML_MAGIC))
        f.write(hp.pack())
        f.write(struct.pack("<ii", filters.shape[0], filters.shape[1]))
        f.write(np.ascontiguousarray(filters, dtype="<f4").tobytes())
        f.write(struct.pack("<i", len(tokens)))
        for t in tokens:
            f.write(struct.pack("<I", len(t)))
            f.write(t)
        for t in tensors:
            name = t.name.encode("utf-8")
            dims = tuple(reversed(t.shape))
            f.write(struct.pack("<iii", len(dims), len(name), t.ggml_type))
            f.write(struct.pack(f"<{len(dims)}i", *dims))
            f.write(name)
            f.write(t.data.tobytes())


@dataclass
class ReadBack:
    hparams: HParams
    n_mel: int
    n_freq: int
    filters: np.ndarray
    tokens: list[bytes]
    tensors: dict[str, tuple[int, tuple[int, ...], int]]  # name -> (type, ne, data offset)


def read_ggml(path: Path) -> ReadBack:
    data = path.read_bytes()
    pos = 0

    def take(n: int, what: str) -> bytes:
        nonlocal pos
        if pos + n > len(data):
            raise ConversionError(f"written file ends early while reading {what}")
        chunk = data[pos:pos + n]
        pos += n
        return chunk

    (magic,) = struct.unpack("<I", take(4, "magic"))
    if magic != GGML_MAGIC:
        raise ConversionError(f"written file has bad magic {magic:#x}")
    hp = HParams(*struct.unpack("<11i", take(44, "hparams")))
    n_mel, n_freq = struct.unpack("<ii", take(8, "filter dims"))
    filters = np.frombuffer(take(4 * n_mel * n_freq, "filters"), dtype="<f4").reshape(n_mel, n_freq)
    (n_tokens,) = struct.unpack("<i", take(4, "token count"))
    tokens = []
    for _ in range(n_tokens):
        (ln,) = struct.unpack("<I", take(4, "token length"))
        tokens.append(take(ln, "token"))
    tensors: dict[str, tuple[int, tuple[int, ...], int]] = {}
    while pos < len(data):
        n_dims, name_len, ttype = struct.unpack("<iii", take(12, "tensor header"))
        if not 1 <= n_dims <= 4 or not 0 < name_len < 256 or ttype not in GGML_TYPE_NAMES:
            raise ConversionError(f"written file has a bad tensor header at byte {pos - 12}")
        ne = struct.unpack(f"<{n_dims}i", take(4 * n_dims, "tensor dims"))
        name = take(name_len, "tensor name").decode("utf-8")
        if name in tensors:
            raise ConversionError(f"written file holds tensor {name} twice")
        size = tensor_nbytes(ttype, ne)
        tensors[name] = (ttype, tuple(ne), pos)
        take(size, f"data of {name}")
    return ReadBack(hp, n_mel, n_freq, filters, tokens, tensors)


def expected_layout(hp: HParams) -> dict[str, tuple[int, tuple[int, ...]]]:
    """name -> (type, ne) exactly as whisper_model_load() declares them."""
    ftype = hp.ftype % GGML_QNT_VERSION_FACTOR
    wt = {f: t for t, f in WEIGHT_TYPES.values()}.get(ftype, GGML_TYPE_F32)
    vt = GGML_TYPE_F32 if wt == GGML_TYPE_F32 else GGML_TYPE_F16  # whisper.cpp's conv type
    F = GGML_TYPE_F32
    a, t = hp.n_audio_state, hp.n_text_state
    exp: dict[str, tuple[int, tuple[int, ...]]] = {
        "encoder.positional_embedding": (F, (a, hp.n_audio_ctx)),
        "encoder.conv1.weight": (vt, (3, hp.n_mels, a)),
        "encoder.conv1.bias": (F, (1, a)),
        "encoder.conv2.weight": (vt, (3, a, a)),
        "encoder.conv2.bias": (F, (1, a)),
        "encoder.ln_post.weight": (F, (a,)),
        "encoder.ln_post.bias": (F, (a,)),
        "decoder.positional_embedding": (F, (t, hp.n_text_ctx)),
        "decoder.token_embedding.weight": (wt, (t, hp.n_vocab)),
        "decoder.ln.weight": (F, (t,)),
        "decoder.ln.bias": (F, (t,)),
    }

    def block(prefix: str, d: int, cross: bool) -> None:
        attns = ["attn"] + (["cross_attn"] if cross else [])
        for attn in attns:
            exp[f"{prefix}.{attn}_ln.weight"] = (F, (d,))
            exp[f"{prefix}.{attn}_ln.bias"] = (F, (d,))
            for proj in ("query", "key", "value", "out"):
                exp[f"{prefix}.{attn}.{proj}.weight"] = (wt, (d, d))
                if proj != "key":
                    exp[f"{prefix}.{attn}.{proj}.bias"] = (F, (d,))
        exp[f"{prefix}.mlp_ln.weight"] = (F, (d,))
        exp[f"{prefix}.mlp_ln.bias"] = (F, (d,))
        exp[f"{prefix}.mlp.0.weight"] = (wt, (d, 4 * d))
        exp[f"{prefix}.mlp.0.bias"] = (F, (4 * d,))
        exp[f"{prefix}.mlp.2.weight"] = (wt, (4 * d, d))
        exp[f"{prefix}.mlp.2.bias"] = (F, (d,))

    for i in range(hp.n_audio_layer):
        block(f"encoder.blocks.{i}", a, cross=False)
    for i in range(hp.n_text_layer):
        block(f"decoder.blocks.{i}", t, cross=True)
    return exp


def validate(path: Path, hp: HParams, filters: np.ndarray, tokens: list[bytes], tensors: list[OutTensor]) -> list[str]:
    """Re-reads the written file; returns a list of problems (empty when all is well)."""
    problems: list[str] = []
    rb = read_ggml(path)
    if rb.hparams != hp:
        problems.append(f"hparams read back {rb.hparams} != written {hp}")
    if (rb.n_mel, rb.n_freq) != (hp.n_mels, 1 + N_FFT // 2):
        problems.append(f"mel filter dims {rb.n_mel}x{rb.n_freq}, expected {hp.n_mels}x{1 + N_FFT // 2}")
    elif not np.array_equal(rb.filters, filters):
        problems.append("mel filters read back differ from those written")
    if rb.tokens != tokens:
        problems.append("vocabulary read back differs from the one written")
    multilingual = hp.n_vocab >= 51865  # whisper.cpp's own test
    want_tokens = 50257 if multilingual else 50256
    if len(rb.tokens) != want_tokens:
        problems.append(f"{len(rb.tokens)} vocabulary entries, expected {want_tokens} for a {'multilingual' if multilingual else 'English-only'} model")
    exp = expected_layout(hp)
    if len(rb.tensors) != expected_tensor_count(hp) or len(exp) != expected_tensor_count(hp):
        problems.append(f"{len(rb.tensors)} tensors in file, whisper.cpp expects {expected_tensor_count(hp)}")
    for name in sorted(set(exp) - set(rb.tensors)):
        problems.append(f"tensor {name} missing")
    for name in sorted(set(rb.tensors) - set(exp)):
        problems.append(f"unexpected tensor {name} (whisper.cpp would refuse the file)")
    for name, (ttype, ne) in exp.items():
        if name in rb.tensors:
            got_type, got_ne, _ = rb.tensors[name]
            if got_type != ttype or got_ne != ne:
                problems.append(f"tensor {name}: {GGML_TYPE_NAMES[got_type]} {list(got_ne)}, whisper.cpp wants {GGML_TYPE_NAMES[ttype]} {list(ne)}")
    # Spot-check that tensor payloads round-trip byte for byte.
    raw = path.read_bytes()
    for t in tensors:
        if t.name in rb.tensors:
            off = rb.tensors[t.name][2]
            if raw[off:off + t.data.nbytes] != t.data.tobytes():
                problems.append(f"tensor {t.name}: data read back differs")
    return problems


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def find_model_files(ct2_dir: Path, parts: list[str] | None) -> list[Path]:
    if parts:
        return [Path(p) for p in parts]
    single = ct2_dir / "model.bin"
    if single.is_file():
        return [single]
    numbered = []
    for p in ct2_dir.glob("model.bin.part*"):
        m = re.fullmatch(r"model\.bin\.part(\d+)", p.name)
        if m:
            numbered.append((int(m.group(1)), p))
    if numbered:
        numbered.sort()
        idx = [n for n, _ in numbered]
        if idx != list(range(idx[0], idx[0] + len(idx))):
            raise ConversionError(f"model.bin parts in {ct2_dir} are not consecutive: {idx}")
        return [p for _, p in numbered]
    raise ConversionError(f"no model.bin (or model.bin.partN) in {ct2_dir}; use --model-bin-parts to name the pieces")


def human(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def convert(args: argparse.Namespace) -> int:
    t0 = time.time()
    ct2_dir = Path(args.ct2)
    if not ct2_dir.is_dir():
        raise ConversionError(f"--ct2 {ct2_dir} is not a directory")
    config_path = ct2_dir / "config.json"
    config = {}
    if config_path.is_file():
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ConversionError(f"{config_path} is not valid JSON: {exc}") from None
    else:
        print(f"warning: {config_path} not found; continuing with what model.bin says", file=sys.stderr)

    files = find_model_files(ct2_dir, args.model_bin_parts)
    print(f"reading {' + '.join(str(p) for p in files)} ({human(sum(p.stat().st_size for p in files))})")
    model = read_ct2_model(files)
    dtypes = sorted({v.dtype_name for v in model.variables.values() if v.array.ndim >= 2})
    print(f"  CTranslate2 v{model.version}, {model.spec} revision {model.revision}, "
          f"{len(model.variables)} variables, {len(model.aliases)} aliases, weight dtypes: {', '.join(dtypes)}")
    if model.revision not in KNOWN_SPEC_REVISIONS:
        print(f"warning: WhisperSpec revision {model.revision} is untested (known: {sorted(KNOWN_SPEC_REVISIONS)})", file=sys.stderr)
    if any(n.endswith("/weight_a") or "low_rank" in n for n in model.variables):
        raise ConversionError("this is a low-rank (lite-whisper) model; whisper.cpp cannot run it")

    src = WeightSource(model)
    # Weight matrices are written as f16 (ftype 1), like the official ggml models, or in a
    # quantized block format (--type), as whisper.cpp's quantize tool would rewrite them.
    # An all-f32 file (ftype 0) loads, but the whisper.cpp vendored by whisper-rs 0.16 then
    # aborts in the encoder: ggml_conv_1d builds an F16 im2col that asserts an F16 kernel.
    weight_type, ftype = WEIGHT_TYPES[args.type]
    if weight_type in BLOCK_BYTES:
        ftype += GGML_QNT_VERSION * GGML_QNT_VERSION_FACTOR
    hp = derive_hparams(src, ftype=ftype)

    by_id, eot = load_vocabulary(ct2_dir)
    multilingual = hp.n_vocab >= 51865
    if eot != (50257 if multilingual else 50256):
        raise ConversionError(
            f"tokenizer puts <|endoftext|> at id {eot} but the embedding has {hp.n_vocab} rows "
            f"({'multilingual' if multilingual else 'English-only'} layout expects {50257 if multilingual else 50256}); "
            f"tokenizer.json does not belong to this model.bin"
        )
    if len(by_id) > hp.n_vocab:
        raise ConversionError(f"tokenizer has {len(by_id)} tokens but the model only {hp.n_vocab}")
    lang_ids = config.get("lang_ids") or []
    if multilingual and lang_ids and len(lang_ids) != hp.n_vocab - 51765 - 1:
        print(f"warning: config lists {len(lang_ids)} languages, whisper.cpp will assume {hp.n_vocab - 51765 - 1}", file=sys.stderr)
    tokens = base_tokens_as_bytes(by_id, eot)
    filters = mel_filterbank(hp.n_mels)

    tensors = plan_tensors(src, hp, weight_type)
    worst = max(tensors, key=lambda t: t.rel_error)
    if worst.rel_error > MAX_REL_ERROR.get(weight_type, 0.0):
        raise ConversionError(f"{worst.name} read back as {args.type} is {worst.rel_error:.2%} off its values"
                              f" (at most {MAX_REL_ERROR[weight_type]:.0%} expected): the block packing is wrong")
    # Every stored variable that carries weights should have been used.
    ignored = sorted(
        n for n, v in model.variables.items()
        if n not in src.used and v.array.ndim >= 1 and v.array.size > 1 and not n.endswith("alignment_heads")
    )
    if ignored:
        raise ConversionError(f"model.bin holds variables this converter does not map: {', '.join(ignored[:8])}"
                              f"{' ...' if len(ignored) > 8 else ''}")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    write_ggml(tmp, hp, filters, tokens, tensors)
    try:
        problems = validate(tmp, hp, filters, tokens, tensors)
    except ConversionError as exc:
        problems = [str(exc)]
    if len(tensors) != expected_tensor_count(hp):
        problems.append(f"planned {len(tensors)} tensors, expected {expected_tensor_count(hp)}")
    if problems:
        tmp.unlink(missing_ok=True)
        print("error: the written file failed validation:", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    os.replace(tmp, out)

    size = out.stat().st_size
    by_type = {}
    for t in tensors:
        by_type[GGML_TYPE_NAMES[t.ggml_type]] = by_type.get(GGML_TYPE_NAMES[t.ggml_type], 0) + 1
    print("hparams:")
    for field in HParams.FIELDS:
        print(f"  {field:<14}= {getattr(hp, field)}")
    print(f"model:      {'multilingual' if multilingual else 'English-only'}, "
          f"{len(tokens)} base tokens (+{hp.n_vocab - len(tokens)} special/timestamp tokens added by whisper.cpp)")
    print(f"mel:        {filters.shape[0]} x {filters.shape[1]} slaney filterbank (sr {SAMPLE_RATE}, n_fft {N_FFT})")
    counts = ", ".join(f"{n} {name}" for name, n in by_type.items())
    print(f"tensors:    {len(tensors)} ({counts}), expected {expected_tensor_count(hp)}: OK")
    if weight_type in BLOCK_BYTES:
        print(f"quantized:  weight matrices as {args.type}, RMS error at most {worst.rel_error:.2%} of a tensor's RMS ({worst.name})")
    print(f"wrote:      {out} ({size} bytes, {human(size)}) in {time.time() - t0:.1f}s; validated by re-reading")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Convert a CTranslate2 Whisper model into a whisper.cpp GGML file.")
    ap.add_argument("--ct2", required=True, metavar="DIR", help="CTranslate2 model directory (config.json, tokenizer.json, model.bin)")
    ap.add_argument("--out", required=True, metavar="FILE", help="GGML file to write, e.g. models/ggml-tiny.en.bin")
    ap.add_argument("--type", choices=sorted(WEIGHT_TYPES), default="f16",
                    help="how the weight matrices are stored: f16 (default, as the official ggml models) or a"
                         " quantized block format of ggml (q8_0, q5_1, q5_0, q4_0), as whisper.cpp's quantize tool"
                         " writes them; convolutions stay f16, biases and norms f32")
    ap.add_argument("--model-bin-parts", nargs="+", metavar="PART",
                    help="pieces of a split model.bin, in order; they are read as one file (default: DIR/model.bin, "
                         "else DIR/model.bin.part1, part2, ...)")
    args = ap.parse_args(argv)
    try:
        return convert(args)
    except ConversionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
