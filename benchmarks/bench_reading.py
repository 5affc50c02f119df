"""Reading benchmark: case facts and recommendations read from the real DHR fragments, recurring pairs,
and speed.

    .venv/bin/python benchmarks/bench_reading.py [--size 10000] [--skip-ingest] [--quality-only] [--blind DIR]

Quality on benchmarks/labelled/reading.json (labelled by hand; dhr_split.json's 'dev' files were used to
develop the reader, 'test' files only reported): per-field precision and recall of the case facts (each wrong
fact listed with "-", each stated fact not read with ".");
recommendations found with the right boundaries (precision, recall, F1), their addressees and whether they
are national; recommendations read from the seed documents that are not recommendations; precision and recall
of same-lesson pairs of recurring recommendations, per split, on the fragments' real recommendations
(benchmarks/labelled/recurring_real.json) and on the written set (benchmarks/labelled/recurring.json, groups A-F
tune).

Held out (--blind DIR): the same figures on review texts kept outside the project (DIR holds them and a
labels.json in reading.json's shape, written before the reader was run on them), so that a reader developed
on the fragments is measured on reviews nobody tuned it on; the texts are never copied into the project. Word
files and PDFs there are read through extract(), as ingest reads them, and their labels give each
recommendation's "text" instead of a "line".

Speed: the share of ingest time spent reading (the fragments and the seeds ingested into a fresh workspace),
and grouping N recommendations (real recommendation texts, their vectors noisy copies of the real ones, as
bench_library.py does for passages). Prints a table and writes benchmarks/results-reading.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import recurring_quality  # noqa: E402

from core.accounts import Viewer, add_user  # noqa: E402
from core.schema import open_store  # noqa: E402
from indexing.embeddings import DIMENSIONS, Embedder  # noqa: E402
from indexing.extract import extract  # noqa: E402
from indexing.library import Library  # noqa: E402
from indexing.reading.facts import FIELDS  # noqa: E402
from indexing.reading.records import read_text  # noqa: E402
from indexing.reading.sentences import rejoined  # noqa: E402
from recommendations.recurring import Grouper  # noqa: E402

LABELLED = ROOT / "benchmarks" / "labelled"
DHR = ROOT.parent / "shared" / "corpus" / "dhr"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
NOISE = 0.4  # length of the noise added to each copy's unit vector
ADDRESSEE_MATCH = 90  # RapidFuzz token-set score at which two spellings name the same body


def _body(text: str) -> str:
    """A file's text after its "SOURCE: <url>" line and blank line, as a person would upload the page."""
    return text.split("\n", 2)[2] if text.startswith("SOURCE:") else text


def _ratio(right: int, total: int) -> float:
    return right / total if total else 1.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def expected_text(line: str, number: str, addressee: str | None) -> str:
    """The recommendation a labelled line holds: a table's Recommendation cell, a flattened row without its
    number and addressee, or the paragraph after "Recommendation N [to ...]:"."""
    line = " ".join(line.split())
    if line.startswith("|"):
        return line.strip("|").split("|")[1].strip()
    paragraph = re.match(r"Recommendation \S+ (?:\[[^\]]*\])?\s*:\s*(.*)$", line)
    if paragraph:
        return paragraph.group(1)
    body = line[len(number) :].strip()
    if addressee and body.endswith(addressee):
        body = body[: -len(addressee)].rstrip(" ;")
    return body


def _same_body(found: str | None, wanted: str) -> bool:
    if not found:
        return False
    found, wanted = found.replace(";", "|").strip().lower(), wanted.replace(";", "|").strip().lower()
    return (
        found == wanted or fuzz.token_set_ratio(found, wanted) >= ADDRESSEE_MATCH and abs(len(found) - len(wanted)) < 12
    )


def _file_text(path: Path) -> tuple[str, str]:
    """A labelled file's raw text (its lines are what a label's "line" counts) and the text the reader gets: a
    text file after its "SOURCE:" line with its broken words whole as extraction makes them, a Word file or PDF
    extracted as ingest extracts it (labelled by "text")."""
    if path.suffix.lower() in (".txt", ".md"):
        raw = path.read_text(encoding="utf-8")
        return raw, rejoined(_body(raw))  # rejoined keeps every line where it was: labels count raw lines
    text = extract(path.read_bytes(), path.name).text
    return text, text


def measure_files(directory: Path, files: dict) -> dict:
    """Per-field precision and recall of the facts, and the recommendations' boundaries, addressees and
    national flags, on ``files`` (name -> label) read from ``directory``."""
    facts = {field: {"tp": 0, "fp": 0, "fn": 0} for field in FIELDS}
    recs = {
        "boundary_right": 0,
        "found": 0,
        "labelled": 0,
        "addressee_right": 0,
        "addressee_found": 0,
        "addressee_labelled": 0,
        "national_tp": 0,
        "national_fp": 0,
        "national_fn": 0,
    }
    wrong: list[str] = []
    missed: list[str] = []
    for file, label in files.items():
        raw, text = _file_text(directory / file)
        reading = read_text(text, label["kind"])
        for field in FIELDS:
            fact = reading.facts[field]
            wanted = label["facts"].get(field)
            if fact is not None and fact.value == wanted:
                facts[field]["tp"] += 1
            elif fact is not None:
                facts[field]["fp"] += 1
                wrong.append(f"{file}: {field} read {fact.value!r}, labelled {wanted!r}")
            if wanted is not None and (fact is None or fact.value != wanted):
                facts[field]["fn"] += 1
                if fact is None:
                    missed.append(f"{file}: {field} not read, labelled {wanted!r}")
        lines = raw.split("\n")
        found = list(reading.recommendations)
        recs["found"] += len(found)
        recs["labelled"] += len(label["recommendations"])
        recs["addressee_found"] += sum(1 for r in found if r.addressee)
        for gold in label["recommendations"]:
            recs["addressee_labelled"] += gold["addressee"] is not None
            want = gold.get("text") or expected_text(lines[gold["line"] - 1], gold["number"], gold["addressee"])
            match = next((r for r in found if r.number == gold["number"] and _same_text(r.text, want)), None)
            if match is None:
                wrong.append(f"{file}: recommendation {gold['number']} not found whole")
                recs["national_fn"] += gold["national"]
                continue
            found.remove(match)
            recs["boundary_right"] += 1
            if gold["addressee"] and _same_body(match.addressee, gold["addressee"]):
                recs["addressee_right"] += 1
            elif match.addressee or gold["addressee"]:
                wrong.append(
                    f"{file}: {gold['number']} addressed to {match.addressee!r}, labelled {gold['addressee']!r}"
                )
            recs["national_tp"] += match.national and gold["national"]
            recs["national_fp"] += match.national and not gold["national"]
            recs["national_fn"] += gold["national"] and not match.national
        recs["national_fp"] += sum(1 for r in found if r.national)
        wrong += [f"{file}: read {r.number!r} '{r.text[:50]}' which is not labelled" for r in found]
    per_field = {
        field: {"precision": _ratio(c["tp"], c["tp"] + c["fp"]), "recall": _ratio(c["tp"], c["tp"] + c["fn"]), **c}
        for field, c in facts.items()
    }
    all_facts = {k: sum(c[k] for c in facts.values()) for k in ("tp", "fp", "fn")}
    boundary_p = _ratio(recs["boundary_right"], recs["found"])
    boundary_r = _ratio(recs["boundary_right"], recs["labelled"])
    address_p = _ratio(recs["addressee_right"], recs["addressee_found"])
    address_r = _ratio(recs["addressee_right"], recs["addressee_labelled"])
    return {
        "files": len(files),
        "facts": per_field,
        "facts_all": {
            "precision": _ratio(all_facts["tp"], all_facts["tp"] + all_facts["fp"]),
            "recall": _ratio(all_facts["tp"], all_facts["tp"] + all_facts["fn"]),
        },
        "recommendations": {
            "labelled": recs["labelled"],
            "found": recs["found"],
            "precision": boundary_p,
            "recall": boundary_r,
            "f1": _f1(boundary_p, boundary_r),
            "addressee_precision": address_p,
            "addressee_recall": address_r,
            "national_precision": _ratio(recs["national_tp"], recs["national_tp"] + recs["national_fp"]),
            "national_recall": _ratio(recs["national_tp"], recs["national_tp"] + recs["national_fn"]),
        },
        "mistakes": wrong,
        "missed_facts": missed,
    }


def measure_quality(labels: dict, split: dict) -> dict:
    results = {name: measure_files(DHR, {f: labels["files"][f] for f in split[name]}) for name in ("dev", "test")}
    seeds = {}
    for file, label in labels["seeds"].items():
        reading = read_text((SEEDS / file).read_text(encoding="utf-8"), label["kind"])
        seeds[file] = {
            "labelled": label["recommendations"],
            "found": len(reading.recommendations),
            "facts_read": sum(1 for f in reading.facts.values() if f is not None),
        }
    results["seeds"] = seeds
    return results


def _same_text(found: str, wanted: str) -> bool:
    return " ".join(found.split()) == " ".join(wanted.split())


def measure_ingest_share(embedder: Embedder, labels: dict) -> dict:
    """Ingest every fragment and seed into a fresh workspace; time reading them apart (the same texts)."""
    files = [(DHR / f, label["kind"]) for f, label in labels["files"].items()]
    files += [(SEEDS / f, label["kind"]) for f, label in labels["seeds"].items()]
    with tempfile.TemporaryDirectory() as directory:
        store = open_store(Path(directory) / "dhr.sqlite")
        add_user(
            store,
            Viewer("bench", "coordinator", "Benchmark"),
            username="coord",
            password="benchmark-password-1",
            role="coordinator",
        )
        coordinator = Viewer("coord", "coordinator", "Benchmark")
        library = Library(store, embedder)
        library.ingest(b"Warm-up document for the model.", "warm-up.txt", viewer=coordinator)
        started = time.perf_counter()
        for path, kind in files:
            library.ingest(path.read_bytes(), path.name, viewer=coordinator, kind=kind)
        ingest = time.perf_counter() - started
        store.close()
    texts = [(extract(path.read_bytes(), path.name).text, kind) for path, kind in files]
    started = time.perf_counter()
    for text, kind in texts:
        read_text(text, kind)
    reading = time.perf_counter() - started
    return {"documents": len(files), "ingest_s": ingest, "reading_s": reading, "share": reading / ingest}


def _noisy(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors near ``vectors``: each moved by noise of length about NOISE (a row of zeros names nothing: kept)."""
    noisy = vectors + rng.normal(scale=NOISE / np.sqrt(vectors.shape[1]), size=vectors.shape).astype(np.float32)
    return np.where(vectors.any(axis=1, keepdims=True), noisy / np.linalg.norm(noisy, axis=1, keepdims=True), 0.0)


def measure_grouping(embedder: Embedder, size: int) -> dict:
    """Group ``size`` recommendations: real texts (the labelled set and the fragments' recommendations,
    words shuffled within each copy), vectors the real ones (whole text and ask, each a unit vector) plus noise, each
    placed at a known lesson by meaning where its words ask for none, as the app groups them."""
    rows = json.loads((LABELLED / "recurring.json").read_text(encoding="utf-8"))["rows"]
    base = [r["text"] for r in rows]
    for path in sorted(DHR.glob("[0-9]*.txt")):
        base += [r.text for r in read_text(_body(path.read_text(encoding="utf-8")), "other").recommendations]
    vectors = Grouper().vectors(base, embedder.encode)
    rng = np.random.default_rng(7)
    picks = rng.integers(0, len(base), size)
    texts = []
    for i in picks:
        words = base[i].split()
        rng.shuffle(words)
        texts.append(" ".join(words))
    noisy = np.hstack([_noisy(part, rng) for part in np.split(vectors[picks], vectors.shape[1] // DIMENSIONS, axis=1)])
    started = time.perf_counter()
    grouper = Grouper()
    groups = grouper.groups(texts, noisy, None, grouper.by_meaning(noisy, embedder.encode))  # as the app groups them
    return {
        "recommendations": size,
        "distinct_texts": len(base),
        "groups": len(groups),
        "seconds": time.perf_counter() - started,
    }


def _print_quality(name: str, q: dict) -> None:
    r = q["recommendations"]
    print(
        f"[{name}, {q['files']} files] facts: precision {q['facts_all']['precision']:.2f}, "
        f"recall {q['facts_all']['recall']:.2f}"
    )
    for field, f in q["facts"].items():
        print(
            f"    {field:<21} precision {f['precision']:.2f} recall {f['recall']:.2f} "
            f"(right {f['tp']}, wrong {f['fp']}, missed {f['fn']})"
        )
    print(
        f"  recommendations ({r['labelled']} labelled, {r['found']} read): precision {r['precision']:.2f}, "
        f"recall {r['recall']:.2f}, F1 {r['f1']:.2f}; addressees precision {r['addressee_precision']:.2f}, "
        f"recall {r['addressee_recall']:.2f}; national precision {r['national_precision']:.2f}, "
        f"recall {r['national_recall']:.2f}"
    )
    for mistake in q["mistakes"]:
        print(f"    - {mistake}")
    for miss in q["missed_facts"]:
        print(f"    . {miss}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--quality-only", action="store_true", help="only the reading quality: no model, no timing")
    parser.add_argument(
        "--blind",
        type=Path,
        help="also measure a held-out folder of review texts kept outside the project, labelled in its labels.json "
        "(the shape of benchmarks/labelled/reading.json) before the reader was run on them",
    )
    args = parser.parse_args()
    labels = json.loads((LABELLED / "reading.json").read_text(encoding="utf-8"))
    split = json.loads((LABELLED / "dhr_split.json").read_text(encoding="utf-8"))
    results = {"quality": measure_quality(labels, split)}
    if args.blind:
        blind = json.loads((args.blind / "labels.json").read_text(encoding="utf-8"))["files"]
        results["quality"]["blind"] = measure_files(args.blind, blind)
    if not args.quality_only:
        embedder = Embedder()
        results["recurring_pairs"] = recurring_quality.recurring_figures(Grouper(), embedder.encode)
        results["grouping"] = measure_grouping(embedder, args.size)
        if not args.skip_ingest:
            results["ingest"] = measure_ingest_share(embedder, labels)
        (ROOT / "benchmarks" / "results-reading.json").write_text(json.dumps(results, indent=2))
    for name in ("dev", "test", "blind"):
        if name in results["quality"]:
            _print_quality(name, results["quality"][name])
    for file, s in results["quality"]["seeds"].items():
        print(
            f"[seed] {file}: {s['found']} recommendation(s) read, {s['labelled']} labelled; {s['facts_read']} fact(s)"
        )
    for labelled_set, splits in results.get("recurring_pairs", {}).items():
        recurring_quality.print_figures(f"recurring pairs, {labelled_set}", splits)
    if "grouping" in results:
        g = results["grouping"]
        print(f"grouping {g['recommendations']:,} recommendations: {g['seconds']:.1f} s ({g['groups']} groups)")
    if "ingest" in results:
        i = results["ingest"]
        print(
            f"reading share of ingest ({i['documents']} documents): {i['reading_s']:.2f} s of {i['ingest_s']:.1f} s "
            f"= {100 * i['share']:.1f}%"
        )


if __name__ == "__main__":
    main()
