"""Evidence bundles: a claim's verdict and everything it rests on as one WACZ file.

records.py writes the WARC records (web snapshots as request/response pairs, library
documents and the manifest as resource records); package.py packs them with their index,
page list and datapackage.json into the WACZ zip. What goes in is read by
claims.selectors.bundle.
"""
