"""The qualitative codebook: a tree of themes and codes with descriptions, seeded with the HILL paper's themes.

Every node can be applied to a transcript span: the paper codes "Human-Model-Interaction" directly and the
"Strategies" theme through its subtopics. Ids are stable slugs; names are what coders see.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class CodebookError(ValueError):
    """A code id that is unknown, duplicated or malformed, or a codebook file that cannot be read."""


@dataclass
class Code:
    """A theme or code: an id (slug), a display name, what it means, and its subcodes."""

    id: str
    name: str
    description: str = ""
    children: list["Code"] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for YAML/JSON."""
        data: dict[str, Any] = {"id": self.id, "name": self.name, "description": self.description}
        if self.children:
            data["children"] = [c.to_dict() for c in self.children]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Code":
        """Rebuild a code (and its subtree) from `to_dict` output."""
        if not isinstance(data, Mapping) or "id" not in data or "name" not in data:
            raise CodebookError(f"every code needs an 'id' and a 'name', got {data!r}")
        return cls(id=str(data["id"]), name=str(data["name"]), description=str(data.get("description", "")),
                   children=[cls.from_dict(c) for c in data.get("children", [])])


_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def slugify(name: str) -> str:
    """A code id from a display name: "Keep Arrangement" -> "keep-arrangement"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _walk(roots: list[Code]) -> Iterator[tuple[Code, str | None]]:
    stack: list[tuple[Code, str | None]] = [(t, None) for t in reversed(roots)]
    while stack:
        code, parent = stack.pop()
        yield code, parent
        stack.extend((c, code.id) for c in reversed(code.children))


class Codebook:
    """Themes (root codes) and their subcodes; ids are unique across the whole tree."""

    def __init__(self, themes: list[Code] | None = None) -> None:
        self.themes: list[Code] = []
        for theme in themes or []:
            self._check_new(theme)
            self.themes.append(theme)

    def walk(self) -> Iterator[tuple[Code, str | None]]:
        """Every code with its parent's id (None for themes), depth first."""
        return _walk(self.themes)

    def ids(self) -> list[str]:
        """All code ids, depth first."""
        return [code.id for code, _ in self.walk()]

    def get(self, code_id: str) -> Code:
        """The code with this id; CodebookError names the known ids otherwise."""
        for code, _ in self.walk():
            if code.id == code_id:
                return code
        raise CodebookError(f"unknown code '{code_id}'; known codes: {', '.join(self.ids())}")

    def parent_of(self, code_id: str) -> str | None:
        """The id of the theme or code above `code_id` (None for a theme)."""
        self.get(code_id)
        return next(parent for code, parent in self.walk() if code.id == code_id)

    def _check_new(self, code: Code) -> None:
        existing = set(self.ids())
        for node, _ in _walk([code]):
            if not _SLUG.match(node.id):
                raise CodebookError(f"code id '{node.id}' must be a lower-case slug such as 'keep-arrangement'")
            if node.id in existing:
                raise CodebookError(f"code id '{node.id}' is already in the codebook; choose another id")
            existing.add(node.id)

    def add(self, name: str, description: str = "", parent: str | None = None, code_id: str | None = None) -> Code:
        """Add a code under `parent` (a theme or code id), or a new theme when parent is None."""
        code = Code(id=code_id or slugify(name), name=name, description=description)
        self._check_new(code)
        (self.get(parent).children if parent else self.themes).append(code)
        return code

    def to_dict(self) -> dict[str, Any]:
        """Plain data: {"themes": [...]}."""
        return {"themes": [t.to_dict() for t in self.themes]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Codebook":
        """Rebuild a codebook from `to_dict` output, checking ids."""
        if not isinstance(data, Mapping) or not isinstance(data.get("themes"), list):
            raise CodebookError("a codebook document needs a 'themes' list")
        return cls([Code.from_dict(t) for t in data["themes"]])

    def save(self, path: str | os.PathLike) -> Path:
        """Write YAML (.yaml/.yml) or JSON (.json), chosen by the file extension."""
        path = Path(path)
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            path.write_text(yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True), encoding="utf-8")
        elif path.suffix.lower() == ".json":
            path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            raise CodebookError(f"save a codebook as .yaml, .yml or .json, not '{path.suffix}'")
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Codebook":
        """Read a codebook written by `save` (YAML or JSON by extension)."""
        path = Path(path)
        import yaml

        text = path.read_text(encoding="utf-8")
        try:
            data = yaml.safe_load(text) if path.suffix.lower() in (".yaml", ".yml") else json.loads(text)
        except (yaml.YAMLError, ValueError) as exc:
            raise CodebookError(f"'{path}' is not a readable codebook: {exc}") from exc
        return cls.from_dict(data)


def paper_codebook() -> Codebook:
    """The themes the HILL study's think-aloud analysis arrived at (the paper, section 4.2.3).

    The paper says Strategies has six subtopics but names five; the five are here and coders add more.
    """
    book = Codebook()
    book.add("Strategies", "How participants went about reshaping the latent space.")
    book.add("Increasing Cluster Compactness", "Moving points closer to their cluster centre to remove "
             "misclassified outliers.", parent="strategies")
    book.add("Maximizing Cluster Distance", "Moving whole clusters apart so the model separates them.",
             parent="strategies")
    book.add("Merge Similar Classes", "Moving classes related at a high abstraction level (animals, vehicles) "
             "closer together.", parent="strategies")
    book.add("Keep Arrangement", "Leaving dense, well-separated clusters where they are; moving only others.",
             parent="strategies")
    book.add("Changed Strategy", "Abandoning or inverting an earlier approach when it did not improve the model.",
             parent="strategies")
    book.add("Human-Model-Interaction", "Impressions of working with the model during training: understanding, "
             "influence, trust.")
    book.add("User Interface", "Features, layout and feedback of the interface.")
    return book
