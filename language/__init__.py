"""The language layer: every piece of text logic, free of Django and of the network.

`claims` and `worker` import from here; this package imports neither (import-linter checks it).

- `extraction/`: article text to sentences, check-worthiness, atomic claims and their features.
- `folding`, `countries`, `detect`: accents and scripts, country names, the language of a text.
- `passages`, `quotes`: passages of a source that bear on a claim; quotes found again in a text.
- `stance`, `denials`, `glossary`: the stance hint of a passage and the words it reads.
- `queries`: search queries for a claim. `reading`: one source read against its claims.
- `storable`: text cleaned of the characters PostgreSQL refuses, before any write.
- `evaluation`: scoring the check-worthiness and stance models on labelled files.
"""
