"""The sentence-embedding model: WordLlama's bundled weights, loaded once per process.

WordLlama ships its static token embeddings (256 dimensions, ~16 MB) and its
tokenizer inside the wheel, so nothing is downloaded: the loader is pointed at
the package's own folder with downloads disabled, and a missing file is an
error, never a fetch.  Vectors are L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import functools
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


@functools.cache
def embedder() -> Embedder:
    """The process's one embedder (loading takes a fraction of a second, once)."""
    import wordllama
    from wordllama import WordLlama

    package = Path(wordllama.__file__).parent
    model = WordLlama.load(config="l2_supercat", dim=256, cache_dir=package, disable_download=True)
    return Embedder(model)
