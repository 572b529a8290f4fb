"""Class similarity, for review: pairs of notebooks whose code, or whose rare wrong answers,
match. Two signals side by side, never one verdict (`layerwise similarity RUN`).

    code.py      code cells -> per-function token streams (magics dropped, names normalized)
    winnow.py    token streams -> winnowing fingerprints with a stable hash
    store.py     what a run folder keeps (code at grading time, fingerprints for later terms)
    answers.py   wrong outputs -> buckets (digest at grading time, or the record's text)
    pairs.py     the two scores of every pair, and the tiers
    clusters.py  connected components above the threshold
    report.py    similarity.html, the side-by-side pages, JSON and CSV
    run.py       the command: a run folder (and earlier runs) in, the report out
"""
