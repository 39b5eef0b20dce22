"""Reads, one module per consumer; services write.

- `article`: the articles list, one article with its claims, `article_progress` (the one count
  of research progress the page, the API and `ingest` show).
- `queue`: the review queue. `claim_page`: the claim page. `sources`: source pages, source
  timelines, and the score task's read of its candidates.
- `api`: querysets the REST API serialises. `export`: CSV rows. `public`: what the public
  fact-check pages may show. `reports`: the stable JSON of `ingest --json`.
"""
