"""Reading documents as text: fetched bodies (extract) and library files (formats).

Pure Python, no Django: the fetch workers (worker.fetching re-exports extract_document) and
the document library (claims.services.library) both read documents through here.
"""
