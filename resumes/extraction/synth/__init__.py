"""The synthetic training corpus: fictional people written out through many template
families and producers, every line and token labelled from construction.

- ``person``: the fictional person (what a template may print).
- ``doc``: the builder a template prints through; it records each printed line's section,
  role and token tags, and the JSON Resume ground truth of exactly what was printed.

Training-time code only: nothing at run time imports this package.
"""
