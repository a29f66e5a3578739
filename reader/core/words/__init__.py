"""Word-level reading: word alignment from attention, sentence and word alternatives, their JSON."""
