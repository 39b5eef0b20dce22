"""Seed-article claims with the features extraction gives them, shared by scorer tests."""

NORA = (
    "The purchase of 48 self-propelled Nora B-52NG howitzers from Serbia marks a significant "
    "step in Azerbaijan’s effort to restructure its heavy artillery."
)
NORA_FEATURES = {
    "quantities": [
        {"value": 48.0, "unit": "howitzers", "text": "48", "upper": None, "qualifier": ""}
    ],
    "dates": [],
    "entities": [
        {"text": "Nora B-52NG", "label": "product"},
        {"text": "Serbia", "label": "place"},
        {"text": "Azerbaijan", "label": "place"},
    ],
}
MLRS = (
    "The country also operates at least 600 MLRS units, including 100 guided systems with "
    "capabilities surpassing HIMARS."
)
MLRS_FEATURES = {
    "quantities": [
        {"value": 600.0, "unit": "MLRS units", "text": "at least 600", "upper": None,
         "qualifier": "at least"},
        {"value": 100.0, "unit": "systems", "text": "100", "upper": None, "qualifier": ""},
    ],
    "dates": [],
    "entities": [{"text": "MLRS", "label": "other"}, {"text": "HIMARS", "label": "product"}],
}  # fmt: skip
SPENDING = (
    "This trajectory is confirmed by official Azerbaijani data indicating a 15–20% annual "
    "increase in defense spending and major arms deals with partners such as Israel and Turkey."
)
SPENDING_FEATURES = {
    "quantities": [{"value": 15.0, "unit": "%", "text": "15–20%", "upper": 20.0, "qualifier": ""}],
    "dates": [],
    "entities": [{"text": "Israel", "label": "place"}, {"text": "Turkey", "label": "place"}],
}
