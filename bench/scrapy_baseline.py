"""The baseline a user would pick instead of us: a Scrapy spider that fetches each source,
extracts its text with trafilatura and reads it against its claim with our scorer
(`language.reading.read_document`). No database, no broker.

    .venv/bin/python bench/scrapy_baseline.py JOBS.json --concurrency 16 --domain-delay 1

JOBS.json: [{"url": ..., "claim": ..., "features": {...}}, ...]. Prints one JSON object.
bench_discovery.py runs it in a child process per run (Twisted's reactor starts once per
process), with the concurrency and per-domain delay of the Celery run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scrapy  # noqa: E402
import trafilatura  # noqa: E402
from scrapy.crawler import CrawlerProcess  # noqa: E402

from language.reading import read_document  # noqa: E402

USER_AGENT = "FactcheckBot/1.0 (+https://github.com/factcheck; source tracking)"


class SourcesSpider(scrapy.Spider):
    name = "sources"

    def __init__(self, jobs: list[dict], labels: list, **kwargs):
        super().__init__(**kwargs)
        self.jobs = jobs
        self.labels = labels

    async def start(self):
        for index, job in enumerate(self.jobs):
            yield scrapy.Request(job["url"], cb_kwargs={"index": index}, dont_filter=True)

    def parse(self, response, index: int):
        job = self.jobs[index]
        text = trafilatura.extract(response.text, url=response.url) or ""
        reading = read_document(job["claim"], job["features"], text)
        self.labels.append(reading.stance.label if reading else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("jobs", type=Path)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--domain-delay", type=float, default=1.0)
    args = parser.parse_args()
    jobs = json.loads(args.jobs.read_text())

    # As the workers do at start: the scorer's lazy tables are loaded before timing.
    read_document(jobs[0]["claim"], jobs[0]["features"], jobs[0]["claim"])

    labels: list = []
    process = CrawlerProcess(
        settings={
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
            # Our politeness: one request per domain per delay, robots.txt obeyed.
            "DOWNLOAD_DELAY": args.domain_delay,
            "RANDOMIZE_DOWNLOAD_DELAY": False,
            "ROBOTSTXT_OBEY": True,
            "USER_AGENT": USER_AGENT,
            "DOWNLOAD_TIMEOUT": 10,
            "LOG_LEVEL": "WARNING",
            "TELNETCONSOLE_ENABLED": False,
        }
    )
    process.crawl(SourcesSpider, jobs=jobs, labels=labels)
    cpu_before = time.process_time()
    started = time.monotonic()
    process.start()
    seconds = time.monotonic() - started
    stances: dict[str, int] = {}
    for label in labels:
        stances[str(label)] = stances.get(str(label), 0) + 1
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "sources_per_second": round(len(jobs) / seconds, 1),
                "read": len(labels),
                "stances": stances,
                "cpu_seconds": round(time.process_time() - cpu_before, 1),
                "scrapy": scrapy.__version__,
                "trafilatura": trafilatura.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
