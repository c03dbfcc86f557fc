#!/usr/bin/env python3
"""Makes the tiny random Gemma 3 encoder fixture and its reference outputs, once, with the
reference implementation (transformers' Gemma3TextModel, tokenizers' BPE):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch transformers tokenizers safetensors
    /tmp/venv/bin/python make_fixture.py   # in this folder

Writes config.json, model.safetensors, tokenizer.json, modules.json, 1_Pooling/, 2_Dense/,
3_Dense/, config_sentence_transformers.json, sentence_bert_config.json and reference.json
(token ids and, for every layer, the head applied to the final-normed, mean-pooled hidden state).
"""
import json
import os

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer
from transformers import Gemma3TextConfig, Gemma3TextModel

torch.manual_seed(7)
here = os.path.dirname(os.path.abspath(__file__))

# A small SentencePiece-style BPE with byte fallback, declared the way EmbeddingGemma's is.
specials = ["<pad>", "<eos>", "<bos>", "<unk>"]
pieces = specials + [f"<0x{b:02X}>" for b in range(256)]
letters = list("abcdefghijklmnopqrstuvwxyz.,:|") + ["\u2581"]
pieces += [c for c in letters if c not in pieces]
merges = [("\u2581", "t"), ("h", "e"), ("\u2581t", "he"), ("i", "n"), ("\u2581", "a"), ("e", "r"),
          ("\u2581", "r"), ("\u2581r", "i"), ("v", "er"), ("\u2581ri", "ver"), ("o", "n"), ("\u2581", "s")]
for a, b in merges:
    if a + b not in pieces:
        pieces.append(a + b)
vocab = {p: i for i, p in enumerate(pieces)}
tokenizer_json = {
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [{"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": False, "special": True} for i, s in enumerate(specials)]
                    + [{"id": len(pieces), "content": "\n", "single_word": False, "lstrip": False, "rstrip": False,
                        "normalized": False, "special": False}],
    "normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"},
    "pre_tokenizer": {"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithPrevious", "invert": False},
    "post_processor": {"type": "TemplateProcessing",
                       "single": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                  {"SpecialToken": {"id": "<eos>", "type_id": 0}}],
                       "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
                       "special_tokens": {"<bos>": {"id": "<bos>", "ids": [2], "tokens": ["<bos>"]},
                                          "<eos>": {"id": "<eos>", "ids": [1], "tokens": ["<eos>"]}}},
    "decoder": None,
    "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
              "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
              "vocab": vocab, "merges": [[a, b] for a, b in merges]},
}
with open(os.path.join(here, "tokenizer.json"), "w", encoding="utf-8") as f:
    json.dump(tokenizer_json, f, ensure_ascii=False)
tokenizer = Tokenizer.from_file(os.path.join(here, "tokenizer.json"))

config = Gemma3TextConfig(
    vocab_size=len(pieces) + 1, hidden_size=64, intermediate_size=96, num_hidden_layers=4,
    num_attention_heads=2, num_key_value_heads=1, head_dim=32, max_position_embeddings=128,
    rms_norm_eps=1e-6, rope_theta=1_000_000.0, rope_local_base_freq=10_000.0, sliding_window=512,
    query_pre_attn_scalar=32, layer_types=["sliding_attention", "full_attention", "sliding_attention", "full_attention"],
    use_bidirectional_attention=True, hidden_activation="gelu_pytorch_tanh", attention_bias=False,
    pad_token_id=0, eos_token_id=1, bos_token_id=2)
model = Gemma3TextModel(config).eval()
with torch.no_grad():
    for name, p in model.named_parameters():
        # Norm weights away from zero, so the (1 + w) form is exercised.
        p.copy_(torch.randn_like(p) * (0.3 if p.dim() == 1 else 0.08))
config.save_pretrained(here)
save_file({k: v.contiguous() for k, v in model.state_dict().items()}, os.path.join(here, "model.safetensors"),
          metadata={"format": "pt"})

dense = [torch.randn(96, 64) * 0.1, torch.randn(48, 96) * 0.1]
for i, (w, (n_in, n_out)) in enumerate(zip(dense, [(64, 96), (96, 48)])):
    d = os.path.join(here, f"{i + 2}_Dense")
    os.makedirs(d, exist_ok=True)
    save_file({"linear.weight": w.contiguous()}, os.path.join(d, "model.safetensors"))
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump({"in_features": n_in, "out_features": n_out, "bias": False,
                   "activation_function": "torch.nn.modules.linear.Identity"}, f)
os.makedirs(os.path.join(here, "1_Pooling"), exist_ok=True)
with open(os.path.join(here, "1_Pooling", "config.json"), "w") as f:
    json.dump({"word_embedding_dimension": 64, "pooling_mode_mean_tokens": True, "include_prompt": True}, f)
with open(os.path.join(here, "modules.json"), "w") as f:
    json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
               {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
               {"idx": 3, "name": "3", "path": "3_Dense", "type": "sentence_transformers.models.Dense"},
               {"idx": 4, "name": "4", "path": "4_Normalize", "type": "sentence_transformers.models.Normalize"}], f)
with open(os.path.join(here, "config_sentence_transformers.json"), "w") as f:
    json.dump({"prompts": {"query": "task: search result | query: ", "document": "title: none | text: "}}, f)
with open(os.path.join(here, "sentence_bert_config.json"), "w") as f:
    json.dump({"max_seq_length": 128, "do_lower_case": False}, f)

texts = ["the river", "task: search result | query: the river in the alps",
         "title: none | text: a river runs on, then another river runs in",
         "Ünïcödé bytes 東京 and\nnewlines", "", "the " * 40]
reference = []
for text in texts:
    ids = tokenizer.encode(text).ids[:128]
    with torch.no_grad():
        out = model(input_ids=torch.tensor([ids]), output_hidden_states=True)
        states = out.hidden_states  # embeddings, then each layer; the last is already final-normed
        heads = []
        for layer in range(1, config.num_hidden_layers + 1):
            h = states[layer][0]
            if layer < config.num_hidden_layers:
                h = model.norm(h)
            v = h.mean(dim=0)
            for w in dense:
                v = w @ v
            heads.append([round(float(x), 7) for x in v])
    reference.append({"text": text, "ids": ids, "head_by_layer": heads})
with open(os.path.join(here, "reference.json"), "w", encoding="utf-8") as f:
    json.dump(reference, f, ensure_ascii=False)
print("wrote", here, "vocab", len(pieces))
