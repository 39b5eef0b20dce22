"""Benchmark: claim extraction speed, pure Python, one process, one core.

    .venv/bin/python bench/bench_extraction.py [--runs 50] [--articles 1000] [--words 1500]

1. The seed article (claims/demo/article.txt) extracted --runs times in a warm
   process (model loaded, one warm-up run): median and p95 milliseconds.
2. --articles synthetic articles of about --words words each, built
   deterministically (seed 42) from the sentences of the seed article and of
   tests/data/extraction_news_*.txt, shuffled, with numbers re-drawn so that no
   two articles are identical, in paragraphs with headings and bullets: total
   seconds and articles per second.

Prints one JSON line with the figures, machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from language.extraction import extract_article  # noqa: E402
from language.extraction.segmentation import segment  # noqa: E402


def _cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            if line.startswith("Model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def sentence_pool() -> list[str]:
    texts = [(ROOT / "claims" / "demo" / "article.txt").read_text(encoding="utf-8")]
    texts += [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data").glob("*.txt"))
    ]
    pool = []
    for text in texts:
        for s in segment(text):
            if not (s.is_heading or s.is_furniture) and len(s.text.split()) >= 6:
                pool.append(" ".join(s.text.split()))
    return pool


def make_articles(n: int, words: int, seed: int = 42) -> list[str]:
    rng = random.Random(seed)
    pool = sentence_pool()
    headings = ["Air Defense", "Regional Implications", "Key Facts", "Background", "Outlook"]
    articles = []
    for _ in range(n):
        parts: list[str] = [rng.choice(headings) + " Report", ""]
        count = 0
        para: list[str] = []
        while count < words:
            s = re.sub(r"\d+", lambda m: str(rng.randint(2, 999)), rng.choice(pool))
            para.append(s)
            count += len(s.split())
            if len(para) >= rng.randint(3, 6):
                if rng.random() < 0.15:
                    parts += [rng.choice(headings), ""]
                if rng.random() < 0.1:
                    parts += ["• " + p for p in para] + [""]
                else:
                    parts += [" ".join(para), ""]
                para = []
        parts += [" ".join(para), "", "Share it:", "Leave a Reply"]
        articles.append("\n".join(parts))
    return articles


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--words", type=int, default=1500)
    args = ap.parse_args()

    seed_text = (ROOT / "claims" / "demo" / "article.txt").read_text(encoding="utf-8")
    extract_article(seed_text)  # warm-up: model load, regex compilation
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        result = extract_article(seed_text)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()

    articles = make_articles(args.articles, args.words)
    total_words = sum(len(a.split()) for a in articles)
    total_claims = 0
    t0 = time.perf_counter()
    for a in articles:
        total_claims += len(extract_article(a).claims)
    batch_s = time.perf_counter() - t0

    out = {
        "seed_median_ms": round(statistics.median(times), 2),
        "seed_p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
        "seed_claims": len(result.claims),
        "seed_sentences": len(result.sentences),
        "articles": len(articles),
        "mean_words_per_article": round(total_words / len(articles)),
        "articles_total_s": round(batch_s, 2),
        "articles_per_s": round(len(articles) / batch_s, 1),
        "claims_total": total_claims,
        "python": platform.python_version(),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
