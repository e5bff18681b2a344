"""ko_callner against the Hugging Face token-classification recipe, as project steps.

The claim to support is that ko_callner is at least as accurate as the recipe
the project grew from (`..hf_baseline`) and faster. Each step of the project's
`benchmark` workflow is one module here and leaves a file the next one reads:

- `training`: the seeded training pairs both systems share, and the one
  training wrapper (`train_hf_system`, `train_spacy_system`) that writes each
  model with its training record; `wall_clock` stops the equal-time recipe.
- `accuracy`: every system scored with one matcher (exact character offsets)
  on the synthetic test split and the realistic dev set.
- `timing` / `speed_worker`: words/s, latency, load time, size and peak memory,
  each system in its own process with the same threads.
- `report` / `comparison` / `rendering`: the closing table.

`systems` parses the `name=path` list every step takes. Top-level imports here
stay light: the speed worker of the recipe must not load spaCy.
"""
