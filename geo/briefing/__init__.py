"""The offline briefing image: a map and its facts in one PNG or PDF."""
