"""Bridges to the tools analysts already use: spaCy, pandas/polars DataFrames and Label Studio.

Each module imports its third-party library itself, when it is used, so the labelling path
(``claims label``, ``ClaimClassifier.label_sentences``) never loads any of them.
"""
