"""kiji: persons, offenders and addresses from Japanese news articles.

The Rust pipeline of kiji (``pipeline-run``) as a Python module; its
dictionaries and models are embedded, so the default ``ner="lexicon"`` needs
no files.
"""

import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

__version__: str
"""The package version (that of the Rust workspace)."""

CSV_COLUMNS: Tuple[str, ...]
"""The columns of :func:`csv_row` and ``pipeline-run extract --format csv``:
``id``, the eight columns of the compliance gold CSV, ``error``."""

Record = Dict[str, Any]
"""An output record: ``{"id", "persons", "headquarters_locations",
"residences", "physical_crime_occured_locations", "police_departments"}``, or
an error record ``{"id", "line", "error"}`` (see docs/annotation-guideline.md)."""

InputRecord = Union[Dict[str, Any], str, bytes]
"""An input record: a dict ``{"id", "article", "posted_at", "person_hints",
"company_hints"}`` (other keys ignored) or one JSON line of that shape."""

PathLike = Union[str, "os.PathLike[str]"]

class Pipeline:
    """kiji's pipeline. Build it once and share it: it is immutable and every
    method releases the GIL, so threads may call it at once.

    Args:
        ner: the NER backend: ``"lexicon"`` (default, no files), ``"tagger"``,
            ``"ensemble"``, ``"transformer"`` or ``"transformer-ensemble"``.
        model_dir: the transformer backends' model directory (config.json,
            model.safetensors, tokenizer.json); default: the checkout's
            ``models/ner-transformer`` when the package was built from one.

    Raises:
        ValueError: an unknown backend.
        TypeError: an argument of the wrong type.
        FileNotFoundError: the model directory (or a file in it) is missing.
    """

    def __init__(self, ner: str = "lexicon", model_dir: Optional[PathLike] = None) -> None: ...
    @property
    def ner(self) -> str:
        """The NER backend's name."""
    @property
    def model_dir(self) -> Optional[str]:
        """The model directory given to the constructor, if any."""
    def extract(
        self,
        article: str,
        id: Optional[Union[str, int]] = None,
        posted_at: Optional[str] = None,
        person_hints: Optional[Sequence[str]] = None,
        company_hints: Optional[Sequence[str]] = None,
    ) -> Record:
        """Read one article; return its output record, the JSON that
        ``pipeline-run extract`` writes for it (``json.dumps(record,
        ensure_ascii=False, separators=(",", ":"))`` is the binary's line).

        Raises:
            TypeError: an argument of the wrong type (the message names it).
        """
    def extract_batch(self, records: Iterable[InputRecord], threads: Optional[int] = None) -> List[Record]:
        """Read many records in parallel (in Rust, without the GIL), in input
        order. A record that cannot be read gives the error record
        ``pipeline-run extract`` writes for that line (``line`` = its 1-based
        position); never an exception for a bad record.

        Raises:
            TypeError: ``records`` not iterable, ``threads`` not an int.
            ValueError: ``threads`` outside 1..1024.
        """
    def extract_jsonl(self, in_path: PathLike, out_path: PathLike, threads: Optional[int] = None) -> Dict[str, Any]:
        """Stream a JSONL file through the pipeline as ``pipeline-run extract``
        does; return the summary ``{"records", "ok", "errors", "bytes_in",
        "seconds", "articles_per_s", "threads", "peak_rss_mb"}``.

        Raises:
            FileNotFoundError: ``in_path`` (or ``out_path``'s directory) is missing.
            OSError: another read or write error (naming the file).
        """

def csv_row(record: Record) -> Dict[str, str]:
    """The compliance gold-CSV view of an output record: a dict of
    :data:`CSV_COLUMNS`, the row ``pipeline-run extract --format csv`` writes.

    Raises:
        TypeError: ``record`` is not a dict.
        ValueError: ``record`` is not an output record.
    """
