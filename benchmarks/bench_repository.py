"""Shared repository benchmark, one run: load, concurrent hybrid search and publish on PostgreSQL, with
the embedded library's figures beside them.

    .venv/bin/python benchmarks/bench_repository.py [--size 1000000] [--searchers 8] [--queries 25]
        [--embedded-size 100000] [--url postgresql://... | --keep DIR] [--quality]

Without ``--url`` it starts its own PostgreSQL 16 with pgvector (the pgserver wheel) in a temporary
directory, or in ``--keep DIR``, which it leaves loaded (server stopped): a later run with the same
``--keep DIR`` and ``--size`` starts that server again and measures search without loading again.
``--quality`` measures only hybrid search's recall@10 on the labelled questions, the real documents
searched in a workspace and published to a repository. The repository is loaded as its host would load
an export: passages (texts varied from the real seed passages, vectors the source passage's vector plus
small noise, as benchmarks/bench_library.py makes them: encoding a million on this CPU would take days)
spread over 20 partnerships, COPY'd in binary with the search indexes dropped, then the GIN (full text)
and HNSW (pgvector) indexes built; its own server first gets a host's settings (host_settings). Search: N
threads each run their own questions through ``RepositoryIndex.search`` as the app does (the question
encoded, a connection from the process's pool, hybrid fused in SQL), timed per search; no question is asked
twice (bench_library's questions, then the labelled questions), and those left over are asked once before,
untimed, to fill the server's page cache as the searches before would have. Beside the clock, the
CPU each search cost this process and (on the benchmark's own server) PostgreSQL's processes: the figure
that holds on a shared machine, where the clock also counts others' work. Publish: a fresh
500-passage workspace published into the loaded repository. The embedded library (SQLite, whoosh, mapped
vectors) is measured the same way at ``--embedded-size``. Prints a table; writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench_library  # noqa: E402  (beside this file)
import search_quality  # noqa: E402  (beside this file)

from core import workspace  # noqa: E402
from core.accounts import Viewer  # noqa: E402
from core.schema import open_store  # noqa: E402
from indexing.chunking import low_information  # noqa: E402
from indexing.embeddings import Embedder  # noqa: E402
from indexing.library import Library  # noqa: E402
from indexing.repository import connect  # noqa: E402
from indexing.repository import schema as repository_schema  # noqa: E402
from indexing.repository import search as repository_search  # noqa: E402
from indexing.repository.index import RepositoryIndex  # noqa: E402
from indexing.repository.publish import publish  # noqa: E402
from indexing.search import search  # noqa: E402

PARTNERSHIPS = 20
SEARCHER = Viewer("bench", "partner", "Benchmark")
HOST = Viewer("bench", "coordinator", "Benchmark")
PASSAGE_TYPES = ["text", "int8", "int8", "int4", "text", "text", "int4", "text", "text", "int4", "int4", "vector"]
PASSAGE_TYPES += ["bool"]  # low_information


def percentiles(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "searches": len(timings),
    }


def question_sets(per_searcher: int, searchers: int) -> dict:
    """Different questions (benchmarks/bench_library.py's, then the labelled ones) for the measurement with
    ``searchers`` searchers, for the one with one searcher, and the rest ("warm") to fill the server's page
    cache before either, as the searches a server has answered before keep it filled: none asked twice."""
    labelled = [q["question"] for split in ("tune", "test") for q in search_quality.questions(split)]
    questions = list(dict.fromkeys(bench_library.QUERIES + labelled))
    many, one = per_searcher * searchers, per_searcher
    if many + one >= len(questions):
        raise SystemExit(f"{many + one} searches asked of {len(questions)} different questions: fewer --queries")
    return {searchers: questions[:many], 1: questions[many : many + one], "warm": questions[many + one :]}


def server_cpu_s(data: Path) -> float:
    """CPU seconds so far of the PostgreSQL server whose data directory is ``data`` (its postmaster and
    the processes it started: backends, workers), from /proc."""
    postmaster = (data / "postmaster.pid").read_text().split()[0]
    ticks = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if postmaster in (pid, fields[1]):
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def concurrently(run_one, queries: list[str], searchers: int, server_data: Path | None = None) -> dict:
    """Each of ``searchers`` threads runs its own share of ``queries``; the latency of each search, and
    the CPU a search cost on average, this process's and (``server_data``: its data directory, where the
    server runs on this machine) the server's."""
    timings: list[float] = []
    guard = threading.Lock()
    failures: list[BaseException] = []
    share = len(queries) // searchers

    def searcher(seed: int) -> None:
        for query in queries[seed * share : (seed + 1) * share]:
            start = time.perf_counter()
            try:
                run_one(query)
            except BaseException as error:  # noqa: BLE001  (reported, not hidden)
                failures.append(error)
                return
            with guard:
                timings.append((time.perf_counter() - start) * 1000)

    threads = [threading.Thread(target=searcher, args=(seed,)) for seed in range(searchers)]
    server_before = server_cpu_s(server_data) if server_data else 0.0
    cpu_before, start = time.process_time(), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    elapsed, cpu = time.perf_counter() - start, {"client": time.process_time() - cpu_before}
    if server_data:
        cpu["server"] = server_cpu_s(server_data) - server_before
    return percentiles(timings) | {
        "searches_per_s": round(len(timings) / elapsed, 1),
        "cpu_ms_per_search": {side: round(seconds / len(timings) * 1000, 1) for side, seconds in cpu.items()},
    }


SHARED_BUFFERS = "3GB"


def host_settings(url: str) -> bool:
    """What a host sets on its server: PostgreSQL's own page cache about a quarter of the machine's memory
    (its docs' advice, and what Azure's and Amazon's managed servers start with; pgserver starts with 128 MB,
    less than the HNSW index of a million passages, 2 GB, so that every search would read its pages from the
    operating system again), and before loading an export ("Populating a Database") checkpoints far apart,
    so that the load is not interrupted every gigabyte of WAL. Only on the benchmark's own server (ALTER
    SYSTEM needs its superuser). True when the server must restart for them."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ALTER SYSTEM SET max_wal_size = '16GB'")
        connection.execute("ALTER SYSTEM SET checkpoint_timeout = '30min'")
        connection.execute(f"ALTER SYSTEM SET shared_buffers = '{SHARED_BUFFERS}'")
        connection.execute("SELECT pg_reload_conf()")
        return connection.execute("SELECT pending_restart FROM pg_settings WHERE name = 'shared_buffers'").fetchone()[0]


def server(directory: Path) -> str:
    """The benchmark's own PostgreSQL with pgvector (pgserver) in ``directory``, with a host's settings;
    stopped when this process ends, its data left in ``directory``."""
    import pgserver

    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o755)  # pgserver runs PostgreSQL as its own user, which must reach it
    handle = pgserver.get_server(directory / "pgdata", cleanup_mode="stop")
    if host_settings(handle.get_uri()):
        handle.cleanup()  # stops it: shared_buffers is read when it starts
        handle = pgserver.get_server(directory / "pgdata", cleanup_mode="stop")
    return handle.get_uri()


def load(url: str, size: int, embedder: Embedder, base: list[tuple[str, str]]) -> dict:
    """``size`` passages into the repository (as its host), then its search indexes; how long each took."""
    base_vectors = embedder.encode([t for _, t in base])
    base_low = [low_information(t) for _, t in base]  # a variant has its source's words, reshuffled
    noise = np.random.default_rng(size)
    timings = {}
    with connect(url) as connection:
        connection.execute("DROP INDEX IF EXISTS passages_embedding")
        connection.execute("DROP INDEX IF EXISTS passages_tsv")
        for p in range(PARTNERSHIPS):
            connection.execute(
                "INSERT INTO partnerships (csp) VALUES (%s) ON CONFLICT DO NOTHING", [f"Benchmark CSP {p}"]
            )
    start = time.perf_counter()
    with connect(url) as connection, connection.cursor() as cursor:
        documents = range(0, size, bench_library.PER_DOCUMENT)
        with cursor.copy(
            "COPY documents (csp, document_id, title, kind, year, access, source_name, fingerprint) FROM STDIN"
        ) as copy:
            for first in documents:
                number = first // bench_library.PER_DOCUMENT
                csp = f"Benchmark CSP {number % PARTNERSHIPS}"
                copy.write_row(
                    (
                        csp,
                        number,
                        f"Benchmark document {number}",
                        "strategy",
                        2020,
                        "public",
                        f"bench-{number}.txt",
                        "-",
                    )
                )
        with cursor.copy(
            "COPY passages (csp, document_id, chunk_id, ordinal, access, kind, year, text, heading, char_start, "
            "char_end, embedding, low_information) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            # binary: a vector goes as its 1,536 bytes, not 384 numbers printed as text (70 times the work)
            copy.set_types(PASSAGE_TYPES)
            for first in documents:
                number = first // bench_library.PER_DOCUMENT
                count = min(bench_library.PER_DOCUMENT, size - first)
                rng = random.Random(first)
                vectors = base_vectors[(first + np.arange(count)) % len(base)]
                vectors = vectors + noise.normal(0, 0.02, vectors.shape).astype(np.float32)
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                for i in range(count):
                    source = (first + i) % len(base)
                    text = bench_library.variant(base[source][1], rng, first + i)
                    csp = f"Benchmark CSP {number % PARTNERSHIPS}"
                    row = (csp, number, first + i, i, "public", "strategy", 2020, text, "", 0, len(text), vectors[i])
                    copy.write_row((*row, base_low[source]))
    timings["rows_s"] = round(time.perf_counter() - start, 1)
    notices: list[str] = []  # pgvector says so when the graph outgrows maintenance_work_mem (a slow build)
    with connect(url) as connection:
        connection.add_notice_handler(lambda notice: notices.append(notice.message_primary))
        connection.execute("SET maintenance_work_mem = '3GB'")
        connection.execute("SET max_parallel_maintenance_workers = 1")
        for name, statement in zip(("gin_s", "hnsw_s"), reversed(repository_schema.SEARCH_INDEXES), strict=True):
            start = time.perf_counter()
            connection.execute(statement)
            connection.commit()
            timings[name] = round(time.perf_counter() - start, 1)
    with connect(url) as connection:
        connection.commit()
        connection.autocommit = True  # VACUUM runs outside a transaction
        start = time.perf_counter()
        connection.execute("VACUUM ANALYZE")
        timings["analyze_s"] = round(time.perf_counter() - start, 1)
    timings["total_s"] = round(sum(timings.values()), 1)
    return timings | {"index_notices": notices}


def loaded_size(url: str) -> int:
    """How many of the benchmark's passages the repository holds already (0 for a new one)."""
    with connect(url) as connection:
        return connection.execute("SELECT count(*) FROM passages WHERE csp LIKE 'Benchmark CSP %'").fetchone()[0]


PUBLISH_AGAIN = 5  # no-change publishes timed, for their median


def measure_publish(url: str, embedder: Embedder, base: list[tuple[str, str]]) -> dict:
    """A fresh 500-passage workspace published into the loaded repository, then published again with
    nothing changed (``PUBLISH_AGAIN`` times: the median's wall and this process's CPU seconds), then
    withdrawn (the repository is left as loaded, for a later run to reuse)."""
    with tempfile.TemporaryDirectory() as directory:
        bench_library.build_corpus(Path(directory), 500, embedder, base)
        store = open_store(Path(directory) / "dhr.sqlite")
        workspace.save(store, HOST, partnership="Publishing CSP")
        with store.write(HOST.username) as tx:  # its own documents: only those are published under its name
            tx.db.execute("UPDATE documents SET csp = 'Publishing CSP'")
        start = time.perf_counter()
        first = publish(store, HOST, url)
        first_s = time.perf_counter() - start
        again = []
        for _ in range(PUBLISH_AGAIN):
            start, cpu = time.perf_counter(), time.process_time()
            changed = publish(store, HOST, url).changed
            again.append((time.perf_counter() - start, time.process_time() - cpu, changed))
        store.close()
    with connect(url) as connection:
        connection.execute("DELETE FROM documents WHERE csp = 'Publishing CSP'")
    return {
        "passages": first.passages,
        "first_publish_s": round(first_s, 2),
        "publish_again_s": round(statistics.median(wall for wall, _, _ in again), 3),
        "publish_again_cpu_s": round(statistics.median(cpu for _, cpu, _ in again), 3),
        "changed_the_second_time": any(changed for _, _, changed in again),
    }


def quality(url: str, embedder: Embedder, caps: list[tuple[int, int]]) -> dict:
    """Hybrid search's recall@10 and MRR on the labelled questions (benchmarks/search_quality.py: real seed
    documents, real DHR fragments, the demo library), the workspace searched locally beside the same
    documents published to a repository database of their own (``dhr_quality``, made afresh), searched
    with each of ``caps`` (passages ranked by full text with every word, with some)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS dhr_quality")
        connection.execute("CREATE DATABASE dhr_quality")
    quality_url = urlsplit(url)._replace(path="/dhr_quality").geturl()  # a postgresql:// address, as the app takes
    repository_schema.init(quality_url)
    with tempfile.TemporaryDirectory() as directory:
        library, texts = search_quality.build_library(Path(directory), embedder)
        workspace.save(library.store, HOST, partnership="Barnet")  # the seeds are Barnet's: it shares them
        for document in library.store.read()["documents"].rows:  # and the fragments, marked as its own to be shared
            library.update_document(HOST, document["id"], csp="Barnet")
        publish(library.store, HOST, quality_url)
        repository = RepositoryIndex(library, quality_url)

        def capped(every: int, some: int):
            def run(_library, viewer, query, **options):
                repository_search.LEXICAL_CAP, repository_search.LEXICAL_CAP_ANY = every, some
                return repository.search(viewer, query, **options)

            return run

        searches = {"local": search} | {f"repo {every}/{some}": capped(every, some) for every, some in caps}
        figures = {
            split: {
                scope: search_quality.evaluate(
                    library, texts, search_quality.questions(split), modes=("hybrid",), search=run
                )["hybrid"]
                for scope, run in searches.items()
            }
            for split in ("tune", "test")
        }
        library.store.close()
    return figures


def embedded(size: int, embedder: Embedder, base, questions: dict[int, list[str]], searchers: int) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        built = bench_library.build_corpus(Path(directory), size, embedder, base)
        store = open_store(Path(directory) / "dhr.sqlite")
        library = Library(store, embedder)
        for question in questions["warm"]:  # maps the vector store, fills the page cache
            search(library, SEARCHER, question)
        figures = {"size": size, "build": {k: round(v, 1) for k, v in built.items()}} | {
            label: concurrently(lambda q: search(library, SEARCHER, q, limit=10), questions[count], count)
            for label, count in (("one_searcher", 1), (f"{searchers}_searchers", searchers))
        }
        store.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--searchers", type=int, default=8)
    parser.add_argument("--queries", type=int, default=25, help="per searcher, each a different question")
    parser.add_argument("--embedded-size", type=int, default=100_000, help="0: not measured")
    parser.add_argument("--url", help="an existing, empty repository (default: start one with pgserver)")
    parser.add_argument("--keep", type=Path, help="the server's data directory, kept loaded for later runs")
    parser.add_argument(
        "--quality", action="store_true", help="only recall@10 on the labelled questions, local and repository"
    )
    parser.add_argument(
        "--caps",
        type=lambda pair: tuple(int(n) for n in pair.split("/")),
        nargs="+",
        default=[(repository_search.LEXICAL_CAP, repository_search.LEXICAL_CAP_ANY)],
        help="with --quality: full-text candidates with every word / with some, e.g. 2000/500 500/200",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results-repository.json")
    args = parser.parse_args()
    questions = question_sets(args.queries, args.searchers)
    embedder = Embedder()
    embedder.encode(["load the model"])
    base = bench_library.seed_chunks()
    with tempfile.TemporaryDirectory(prefix="bench-repository-") as directory:
        data = None if args.url else (args.keep or Path(directory))
        url = args.url or server(data)
        if args.quality:
            figures = quality(url, embedder, args.caps)
            for split, title in (("tune", "Tuned-on questions"), ("test", "Held-out questions: the figures to report")):
                search_quality.print_table(figures[split], f"{title}, hybrid search of each scope")
            args.out.with_name("results-repository-quality.json").write_text(json.dumps(figures, indent=2))
            return
        repository_schema.init(url)
        results: dict = {"size": args.size, "searchers": args.searchers, "load_average": {"start": os.getloadavg()}}
        held = loaded_size(url)
        if held == args.size:
            results["load"] = {"reused": str(args.keep)}
        elif held:
            raise SystemExit(f"{args.keep} holds {held:,} passages, not {args.size:,}: give another --keep")
        else:
            results["load"] = load(url, args.size, embedder, base)
        results["load_average"]["loaded"] = os.getloadavg()
        print(f"loaded {args.size:,} passages: {results['load']}", flush=True)
        repository = RepositoryIndex(Library(open_store(Path(directory) / "reader.sqlite"), embedder), url)
        for question in questions["warm"]:
            repository.search(SEARCHER, question)
        for label, searchers in (("one_searcher", 1), (f"{args.searchers}_searchers", args.searchers)):
            results[label] = concurrently(
                lambda q: repository.search(SEARCHER, q, limit=10),
                questions[searchers],
                searchers,
                None if data is None else data / "pgdata",
            )
            print(f"repository, {label}: {results[label]}", flush=True)
        results["publish_500"] = measure_publish(url, embedder, base)
        print(f"publish: {results['publish_500']}", flush=True)
    if args.embedded_size:
        results["embedded"] = embedded(args.embedded_size, embedder, base, questions, args.searchers)
        print(f"embedded: {results['embedded']}", flush=True)
    results["load_average"]["end"] = os.getloadavg()  # 1, 5 and 15 minutes: what else the machine ran
    args.out.write_text(json.dumps(results, indent=2))
    many = f"{args.searchers}_searchers"
    print(
        f"\n| hybrid search, {args.searchers} concurrent searchers | p50 | p95 | searches/s "
        "| CPU per search: app + PostgreSQL |\n| --- | --- | --- | --- | --- |"
    )
    rows = [(f"repository, {args.size:,} passages", results[many])]
    if "embedded" in results:
        rows.append((f"embedded, {args.embedded_size:,} passages", results["embedded"][many]))
    for label, figures in rows:
        cpu = figures["cpu_ms_per_search"]
        cpu_text = f"{cpu['client']} + {cpu['server']} ms" if "server" in cpu else f"{cpu['client']} ms (one process)"
        print(
            f"| {label} | {figures['p50_ms']} ms | {figures['p95_ms']} ms | {figures['searches_per_s']} | {cpu_text} |"
        )
    loaded = results["load"].get("total_s", "(reused)")
    published = results["publish_500"]
    print(
        f"\nload with indexes: {loaded} s; publish 500 passages: {published['first_publish_s']} s; again with "
        f"nothing changed: {published['publish_again_s']} s ({published['publish_again_cpu_s']} s CPU, median of "
        f"{PUBLISH_AGAIN})"
    )
    print("load average (1, 5, 15 min): " + "; ".join(f"{k} {v}" for k, v in results["load_average"].items()))


if __name__ == "__main__":
    main()
