"""What every area shares on the web side: errors, routing converters, the input guard, the
front page (blueprint.py)."""
