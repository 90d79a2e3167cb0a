"""kiji's Python package against the `pipeline-run` binary, on real articles
(fixtures/sample and ../shared/data/dev) and on bad input (fixtures/hostile)."""

import csv
import io
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import kiji
from conftest import REPO, dumps, lines_of, run_binary


def extract_record(p, rec):
    """p.extract with the fields of an input record."""
    return p.extract(
        rec["article"],
        id=rec.get("id"),
        posted_at=rec.get("posted_at"),
        person_hints=rec.get("person_hints"),
        company_hints=rec.get("company_hints"),
    )


def test_extract_equals_the_binary_line_for_every_article(pipeline, binary_lines):
    n = 0
    for name, (inputs, outputs) in binary_lines.items():
        for line, expected in zip(inputs, outputs):
            rec = json.loads(line)
            got = extract_record(pipeline, rec)
            assert dumps(got) == expected, f"{name} {rec.get('id')}"
            n += 1
    assert n >= 20


def test_records_are_plain_dicts_and_lists(pipeline):
    rec = pipeline.extract("山田太郎容疑者(45)が逮捕された。", id="a1")
    assert list(rec) == [
        "id",
        "persons",
        "headquarters_locations",
        "residences",
        "physical_crime_occured_locations",
        "police_departments",
    ]
    person = rec["persons"][0]
    assert (person["name"], person["age"], person["is_offender"]) == ("山田太郎", "45", True)
    assert type(person["mentions"]) is list and all(type(m) is list for m in person["mentions"])


def test_extract_batch_of_dicts_and_lines_equals_the_binary(pipeline, binary_lines):
    for name, (inputs, outputs) in binary_lines.items():
        dicts = [json.loads(line) for line in inputs]
        assert [dumps(r) for r in pipeline.extract_batch(dicts, threads=2)] == outputs, name
        assert [dumps(r) for r in pipeline.extract_batch(inputs, threads=2)] == outputs, name
        # Any iterable (a generator here), bytes lines too.
        gen = (line.encode("utf-8") for line in inputs)
        assert [dumps(r) for r in pipeline.extract_batch(gen)] == outputs, name


def test_one_and_four_threads_give_the_same_records(pipeline, binary_lines):
    for name, (inputs, _) in binary_lines.items():
        dicts = [json.loads(line) for line in inputs]
        assert pipeline.extract_batch(dicts, threads=1) == pipeline.extract_batch(dicts, threads=4), name


def test_hostile_files_give_the_binarys_records(pipeline):
    files = sorted((REPO / "fixtures" / "hostile").glob("*.jsonl"))
    assert files
    for path in files:
        expected = [line.decode("utf-8") for line in lines_of(run_binary(path))]
        lines = lines_of(path.read_bytes())
        assert [dumps(r) for r in pipeline.extract_batch(lines)] == expected, path.name
        summary = pipeline.extract_jsonl(path, Path(os.devnull))
        assert summary["records"] == len(expected), path.name


BAD_RECORDS = [
    {"id": "no-article"},
    {"id": "not-a-string", "article": 5},
    {"id": "null-article", "article": None},
    {"id": 12345678901234567890123, "article": "山田太郎容疑者が逮捕された。"},
    {"id": -7, "article": ""},
    {"id": 1.5, "article": ""},
    {"id": True, "article": ""},
    {"id": None, "article": "本文"},
    {"id": ["x"], "article": "本文"},
    {"id": "hints", "article": "田中一郎容疑者が逮捕。", "person_hints": ["田中一郎", 3, None], "company_hints": "not a list"},
    {"id": "posted", "article": "山田太郎容疑者(45)", "posted_at": 20200101},
    {"article": "佐藤花子さんが話した。", "extra": {"nested": [1, 2]}},
    [1, 2],
    "not json",
    None,
    7,
    {},
]


def test_bad_records_give_the_binarys_error_records(pipeline, tmp_path):
    # What the binary writes for each record written as a JSON line; the
    # str "not json" is a line itself.
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in BAD_RECORDS]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = [line.decode("utf-8") for line in lines_of(run_binary(path))]
    got = pipeline.extract_batch(BAD_RECORDS)
    assert [dumps(r) for r in got] == expected
    assert sum("error" in r for r in got) >= 8
    assert got[0] == {"id": "no-article", "line": 1, "error": "invalid_record: no `article` field"}


def test_unserialisable_and_surrogate_records_never_raise(pipeline):
    import datetime

    got = pipeline.extract_batch(
        [
            {"id": "d", "article": "本文", "posted_at": datetime.date(2020, 1, 1), "x": object()},
            {"id": "s", "article": "\ud800"},
            "\ud800",
        ]
    )
    assert got[0]["id"] == "d" and "persons" in got[0]
    assert got[1] == {"id": "s", "line": 2, "error": "invalid_utf8: `article` is not valid Unicode (lone surrogates)"}
    assert got[2]["line"] == 3 and got[2]["error"].startswith("invalid_utf8")


def test_extract_jsonl_writes_the_binarys_file(pipeline, article_sets, tmp_path):
    for name, path in article_sets:
        out = tmp_path / f"{name}.jsonl"
        summary = pipeline.extract_jsonl(str(path), out, threads=2)
        assert out.read_bytes() == run_binary(path), name
        assert summary["records"] == summary["ok"] == len(lines_of(path.read_bytes()))
        assert summary["errors"] == 0 and summary["threads"] == 2
        assert summary["articles_per_s"] > 0 and summary["seconds"] > 0
        assert set(summary) == {"records", "ok", "errors", "bytes_in", "seconds", "articles_per_s", "threads", "peak_rss_mb"}


def test_csv_row_equals_the_binarys_csv(pipeline, article_sets):
    for name, path in article_sets:
        data = run_binary(path, "--format", "csv")
        assert data.endswith(b"\r\n")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        assert list(rows[0]) == list(kiji.CSV_COLUMNS)
        recs = pipeline.extract_batch(lines_of(path.read_bytes()))
        assert [kiji.csv_row(r) for r in recs] == rows, name
    err = kiji.csv_row({"id": None, "line": 3, "error": "invalid_json: EOF"})
    assert err["id"] == "" and err["error"] == "line 3: invalid_json: EOF"
    assert all(err[c] == "" for c in kiji.CSV_COLUMNS[1:-1])


def test_csv_row_of_one_article(pipeline):
    row = kiji.csv_row(pipeline.extract("山田太郎容疑者(45)が逮捕された。", id="a1"))
    assert row["id"] == "a1" and row["person_name"] == "山田太郎" and row["person_age_at_published"] == "45"
    assert row["error"] == ""


def test_wrong_argument_types_name_the_argument(pipeline):
    cases = [
        (lambda: pipeline.extract(5), TypeError, "article"),
        (lambda: pipeline.extract(None), TypeError, "article"),
        (lambda: pipeline.extract("本文", id=[1]), TypeError, "id"),
        (lambda: pipeline.extract("本文", posted_at=20200101), TypeError, "posted_at"),
        (lambda: pipeline.extract("本文", person_hints="山田"), TypeError, "person_hints"),
        (lambda: pipeline.extract("本文", person_hints=["山田", 3]), TypeError, "person_hints[1]"),
        (lambda: pipeline.extract("本文", company_hints=5), TypeError, "company_hints"),
        (lambda: pipeline.extract_batch(5), TypeError, "records"),
        (lambda: pipeline.extract_batch("a line"), TypeError, "records"),
        (lambda: pipeline.extract_batch([], threads="2"), TypeError, "threads"),
        (lambda: pipeline.extract_batch([], threads=0), ValueError, "threads"),
        (lambda: pipeline.extract_batch([], threads=5000), ValueError, "threads"),
        (lambda: pipeline.extract_jsonl(5, "out"), TypeError, "in_path"),
        (lambda: kiji.Pipeline(ner="bogus"), ValueError, "ner"),
        (lambda: kiji.Pipeline(ner=5), TypeError, "ner"),
        (lambda: kiji.Pipeline(model_dir=5), TypeError, "model_dir"),
        (lambda: kiji.csv_row("x"), TypeError, "record"),
        (lambda: kiji.csv_row({"persons": 5}), ValueError, "record"),
    ]
    for call, exc, name in cases:
        with pytest.raises(exc, match=name.replace("[", r"\[").replace("]", r"\]")):
            call()
    assert pipeline.extract("本文", id=7)["id"] == "7"
    assert pipeline.extract_batch([]) == []


def test_missing_files_raise_file_not_found_naming_them(pipeline, tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(FileNotFoundError) as e:
        kiji.Pipeline(model_dir=missing)
    assert e.value.filename == str(missing)
    with pytest.raises(FileNotFoundError) as e:
        kiji.Pipeline(ner="transformer", model_dir=tmp_path)
    assert e.value.filename == str(tmp_path / "config.json")
    with pytest.raises(FileNotFoundError) as e:
        pipeline.extract_jsonl(tmp_path / "in.jsonl", tmp_path / "out.jsonl")
    assert e.value.filename == str(tmp_path / "in.jsonl")
    (tmp_path / "in.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(FileNotFoundError) as e:
        pipeline.extract_jsonl(tmp_path / "in.jsonl", tmp_path / "no-dir" / "out.jsonl")
    assert e.value.filename == str(tmp_path / "no-dir" / "out.jsonl")


def test_one_pipeline_shared_by_threads(pipeline, binary_lines):
    inputs, outputs = next(iter(binary_lines.values()))
    recs = [json.loads(line) for line in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda r: dumps(extract_record(pipeline, r)), recs))
    assert got == outputs
    # Batches from two threads at once.
    results = {}

    def batch(k):
        results[k] = [dumps(r) for r in pipeline.extract_batch(recs, threads=2)]

    threads = [threading.Thread(target=batch, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[0] == results[1] == outputs


def test_package_metadata_and_stubs():
    assert kiji.__version__ == "0.1.0"
    assert "Pipeline" in kiji.__all__
    assert repr(kiji.Pipeline()) == "Pipeline(ner='lexicon')"
    assert kiji.Pipeline().ner == "lexicon"
    assert kiji.Pipeline.extract.__doc__ and kiji.csv_row.__doc__ and kiji.Pipeline.__doc__
    pkg = Path(kiji.__file__).parent
    assert (pkg / "py.typed").exists()
    assert any((pkg / name).exists() for name in ("__init__.pyi", "kiji.pyi"))


NO_NETWORK = r"""
import socket
def refuse(*args, **kwargs):
    raise OSError("network access attempted")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import kiji
rec = kiji.Pipeline().extract('山田太郎容疑者(45)が逮捕された。')
assert rec["persons"][0]["name"] == "山田太郎", rec
print("ok")
"""


def test_imports_and_runs_with_no_network(tmp_path):
    # A fresh interpreter, outside the checkout, with every connection refused.
    env = {k: v for k, v in os.environ.items() if not k.endswith("_proxy") and not k.endswith("_PROXY")}
    env["no_proxy"] = "*"
    proc = subprocess.run([sys.executable, "-c", NO_NETWORK], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
