"""A catalogue's columns (selectors.matrix) kept as one file in the site's storage, beside the
stored PDFs: the base a process's first comparison starts from.

A whole read of the columns is ten million PeerValue rows at 100,000 clusters (30 s on two busy
cores), once in every process that compares (each gunicorn worker on each server, again after
every restart). Columns of any age are a valid base: selectors.matrix.caught_up reads again the
members whose values changed since (and reads whole past its limit). So every process starts
from the file, and the file is written again only after a whole read, or when it was found far
behind (FILE_BEHIND members read again): most approvals write nothing.

NumPy's .npz, read without pickle (a file in a shared store is never code). A file that cannot be
read (half written by another process, or from an older layout) counts as none.
"""

import io
import logging
import zipfile

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)
FILE_BEHIND = 500  # members read again from the rows before the file is written anew
ARRAYS = ["ids", "portfolio", "country", "year", "interview", "member_rows", "numbers", "answered"]


def columns_file_name(catalogue_id: int) -> str:
    return f"comparisons/columns-{int(catalogue_id)}.npz"


def columns_from_file(catalogue_id: int) -> dict | None:
    """The fields of the Matrix last written for the catalogue, or None."""
    try:
        with default_storage.open(columns_file_name(catalogue_id), "rb") as file:
            found = np.load(io.BytesIO(file.read()), allow_pickle=False)
            return _fields(catalogue_id, {name: found[name] for name in found.files})
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        logger.warning("Columns file of catalogue %s not read (%s): the rows are read instead.", catalogue_id, error)
        return None


def columns_to_file(matrix) -> None:
    """Write the columns (replacing the file: a reader meanwhile finds none and reads the rows)."""
    buffer = io.BytesIO()
    np.savez(buffer, **_arrays(matrix))
    name = columns_file_name(matrix.catalogue_id)
    default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(buffer.getvalue()))
    if saved != name:  # another process wrote it meanwhile: theirs is as good
        default_storage.delete(saved)


def _arrays(m) -> dict[str, np.ndarray]:
    chosen = [(i, option, column) for i, found in m.chosen.items() for option, column in found]
    return {name: getattr(m, name) for name in ARRAYS} | {
        "series_indicator": np.array([i for i, _ in m.series], dtype=np.int64),
        "series_name": np.array([name for _, name in m.series], dtype=str),
        "option_indicators": np.array(m.option_indicators, dtype=np.int64),
        "chosen_indicator": np.array([i for i, _, _ in chosen], dtype=np.int64),
        "chosen_option": np.array([option for _, option, _ in chosen], dtype=str),
        "chosen": np.array([column for _, _, column in chosen], dtype=bool).reshape(len(chosen), m.size),
    }


def _fields(catalogue_id: int, a: dict[str, np.ndarray]) -> dict:
    chosen: dict[int, list[tuple[str, np.ndarray]]] = {}
    for i, option, column in zip(a["chosen_indicator"].tolist(), a["chosen_option"].tolist(), a["chosen"], strict=True):
        chosen.setdefault(i, []).append((option, column))
    return {name: a[name] for name in ARRAYS} | {
        "catalogue_id": catalogue_id,
        "version": ("file", 0),  # never the store's: caught up before use
        "series": list(zip(a["series_indicator"].tolist(), a["series_name"].tolist(), strict=True)),
        "option_indicators": a["option_indicators"].tolist(),
        "chosen": chosen,
    }
