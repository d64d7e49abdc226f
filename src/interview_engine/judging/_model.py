"""The sentence-embedding model: WordLlama's bundled weights, loaded once per process.

Besides sentence vectors (the mean of a text's token vectors), the same static token vectors give a
token alignment: how much of a key point a clause covers token by token, each token of the point
matched with its closest token of the clause (as BERTScore does with a transformer's vectors).  A
mean-pooled vector dilutes a point stated inside a long clause; the alignment does not.

WordLlama ships its static token embeddings (256 dimensions, ~16 MB) and its
tokenizer inside the wheel, so nothing is downloaded: the loader is pointed at
the package's own folder with downloads disabled, and a missing file is an
error, never a fetch.  Vectors are L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["MODEL_NAME", "Embedder", "embedder"]

MODEL_NAME = "wordllama-l2-supercat-256"
_CACHE_SIZE = 4096


class Embedder:
    """Sentence vectors with a bounded cache (key points and claims repeat across answers)."""

    def __init__(self, model: Any, cache_size: int = _CACHE_SIZE) -> None:
        self._model = model
        self._size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.dimensions = int(model.embedding.shape[1])
        table = np.asarray(model.embedding, dtype=np.float32)
        norms = np.linalg.norm(table, axis=1)
        # A token vector's length is its weight: grammar words ("the", "it", "be") have short vectors
        # in WordLlama's training (they carry little of a sentence's mean), content words long ones.
        self._unit_tokens = table / np.where(norms == 0, 1.0, norms)[:, None]
        self._token_weights = norms.astype(np.float32)
        self._ids: OrderedDict[str, np.ndarray] = OrderedDict()
        self._covered: OrderedDict[bytes, np.ndarray] = OrderedDict()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text, shape ``(len(texts), dimensions)``."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
            if missing:
                vectors = np.asarray(self._model.embed(missing, norm=True), dtype=np.float32)
                for text, vector in zip(missing, vectors, strict=True):
                    self._cache[text] = vector
            for text in texts:
                self._cache.move_to_end(text)
            rows = [self._cache[t] for t in texts]
            # Evict only after this call's rows are taken: evicting first could drop a text of this very
            # call that was cached earlier (it sat at the old end until moved), a KeyError above.
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        out = np.stack(rows)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)

    def _token_ids(self, text: str) -> np.ndarray:
        with self._lock:
            ids = self._ids.get(text)
            if ids is None:
                encoded = self._model.tokenizer.encode(text, add_special_tokens=False)
                ids = np.clip(np.asarray(encoded.ids, dtype=np.int64), 0, len(self._token_weights) - 1)
                self._ids[text] = ids
                while len(self._ids) > self._size:
                    self._ids.popitem(last=False)
            else:
                self._ids.move_to_end(text)
            return ids

    def coverage(self, points: Sequence[str], units: Sequence[str]) -> np.ndarray:
        """How much of each point each unit covers, token by token, shape ``(len(units), len(points))``.

        For every token of a point, the cosine of its closest token in the unit, averaged over the
        point's tokens by their weight (the length of their vector): 1 when the unit holds every
        token of the point, near the cosine of unrelated words when it holds none of them.  Words
        of the unit that the point does not use cost nothing, so a long clause is not diluted.
        """
        # Keyed by a digest, not the texts: a cache of whole answers would hold up to its size in
        # candidates' text (each up to 6000 characters, with its clauses).
        digest = hashlib.blake2b(digest_size=20)
        for text in (*points, "\x00", *units):
            encoded = text.encode("utf-8", "surrogatepass")
            digest.update(len(encoded).to_bytes(8, "big") + encoded)
        key = digest.digest()
        with self._lock:
            cached = self._covered.get(key)
            if cached is not None:
                self._covered.move_to_end(key)
                return cached
        out = self._coverage(tuple(points), tuple(units))
        out.flags.writeable = False  # shared by every caller that asks again
        with self._lock:
            self._covered[key] = out
            while len(self._covered) > self._size:
                self._covered.popitem(last=False)
        return out

    def _coverage(self, points: tuple[str, ...], units: tuple[str, ...]) -> np.ndarray:
        out = np.zeros((len(units), len(points)), dtype=np.float32)
        unit_ids = [self._token_ids(u) for u in units]
        kept = [k for k, ids in enumerate(unit_ids) if len(ids)]
        point_ids = [self._token_ids(p) for p in points]
        said = [j for j, ids in enumerate(point_ids) if len(ids)]
        if not kept or not said:
            return out
        # Clauses and their pairs repeat the sentence's tokens: compare each distinct token once.
        flat = np.concatenate([unit_ids[k] for k in kept])
        distinct, where = np.unique(flat, return_inverse=True)
        starts = np.cumsum([0] + [len(unit_ids[k]) for k in kept[:-1]])
        ids = np.concatenate([point_ids[j] for j in said])
        asked, back = np.unique(ids, return_inverse=True)
        sims = _products(self._unit_tokens[asked], self._unit_tokens[distinct])[back]
        best = np.maximum.reduceat(sims[:, where], starts, axis=1)  # (point tokens, units)
        weights = self._token_weights[ids]
        bounds = np.cumsum([0] + [len(point_ids[j]) for j in said])
        for n, j in enumerate(said):
            w = weights[bounds[n] : bounds[n + 1]]
            out[kept, j] = (w @ best[bounds[n] : bounds[n + 1]]) / max(float(w.sum()), 1e-9)
        return np.clip(out, -1.0, 1.0)


# OpenBLAS runs a product of more than 4 x 65536 multiply-adds on several threads; on a shared
# 2-core machine those threads wait for each other (a 145 x 127 x 256 product took 15-33 ms threaded,
# 0.2 ms on one thread), so the token products are taken in row blocks that stay on one thread.
_ONE_THREAD = 4 * 65536


def _products(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b.T``, in row blocks small enough for BLAS to keep on one thread."""
    rows = max(1, _ONE_THREAD // max(1, b.shape[0] * a.shape[1]) - 1)
    blocks: list[np.ndarray] = [a[i : i + rows] @ b.T for i in range(0, len(a), rows)]
    return np.concatenate(blocks) if blocks else np.zeros((0, len(b)), dtype=a.dtype)


@functools.cache
def embedder() -> Embedder:
    """The process's one embedder (loading takes a fraction of a second, once)."""
    import wordllama
    from wordllama import WordLlama

    package = Path(wordllama.__file__).parent
    model = WordLlama.load(config="l2_supercat", dim=256, cache_dir=package, disable_download=True)
    return Embedder(model)
