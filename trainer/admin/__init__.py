"""Administration: people, stations, imports and the training content (blueprint.py: pages)."""
