"""Finding instruments: the files shipped in `instruments/`, plus any directories the caller names first."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ._errors import UnknownInstrumentError
from ._instrument import Instrument
from ._parse import ID_PATTERN, read_instrument_file

BUILTIN_DIR = Path(__file__).with_name("instruments")
SUFFIXES = (".yaml", ".yml")

SearchPath = Iterable[str | Path] | None


def search_dirs(search_path: SearchPath = None) -> list[Path]:
    """The directories searched, in order: the caller's (so a copied instrument overrides), then the shipped ones."""
    return [*(Path(p) for p in (search_path or ())), BUILTIN_DIR]


def list_instruments(search_path: SearchPath = None) -> list[str]:
    """Ids of every instrument file on the search path (shipped ones included), sorted."""
    found: set[str] = set()
    for directory in search_dirs(search_path):
        if directory.is_dir():
            found.update(p.stem for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())
    return sorted(found)


def load(instrument_id: str, search_path: SearchPath = None) -> Instrument:
    """The instrument `<instrument_id>.yaml` from the first directory on the search path that has it.

    A malformed file raises InstrumentError naming the file and field; an unknown id raises UnknownInstrumentError
    listing what exists.
    """
    if not isinstance(instrument_id, str) or not ID_PATTERN.match(instrument_id):
        raise UnknownInstrumentError(f"{instrument_id!r} is not an instrument id (ids use letters, digits, '_', '-')")
    dirs = search_dirs(search_path)
    for directory in dirs:
        for suffix in SUFFIXES:
            candidate = directory / f"{instrument_id}{suffix}"
            if candidate.is_file():
                return read_instrument_file(candidate)
    raise UnknownInstrumentError(
        f"no instrument {instrument_id!r}; searched {', '.join(str(d) for d in dirs)}; "
        f"available: {', '.join(list_instruments(search_path)) or '(none)'}")


def resolve(instrument: str | Instrument, search_path: SearchPath = None) -> Instrument:
    """An Instrument passed through, or loaded by id."""
    return instrument if isinstance(instrument, Instrument) else load(instrument, search_path)


def pairwise_pairs(instrument: str | Instrument, search_path: SearchPath = None) -> list[tuple[str, str]]:
    """The instrument's pairwise comparisons `(a, b)` in presentation order (15 for NASA-TLX); [] when none."""
    found = resolve(instrument, search_path)
    return list(found.pairwise.pairs) if found.pairwise is not None else []
