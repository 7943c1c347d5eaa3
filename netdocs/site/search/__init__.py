"""Search in both languages: the Chinese dictionary, the built index, Material's worker patch."""
