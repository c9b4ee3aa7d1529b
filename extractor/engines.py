"""The PDF engines by name, apart from the engines themselves: naming one imports nothing."""

from __future__ import annotations

from typing import Literal, get_args

Engine = Literal["pdfium", "pdfplumber"]
ENGINES: tuple[Engine, ...] = get_args(Engine)
DEFAULT_ENGINE: Engine = "pdfium"
