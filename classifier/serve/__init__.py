"""``claims serve``: the classifier as a local web page and a JSON API (the 'serve' extra).

The web framework is imported only here, never on the labelling path: ``claims label`` and
``ClaimClassifier.load().label_sentences`` stay as light as before.
"""
