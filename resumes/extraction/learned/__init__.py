"""The learned extractor: a line labeller trained on the synthetic corpus the project
generates (``resumes.extraction.synth``). See README, "Learned line labeller"."""
