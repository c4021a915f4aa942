"""Question -> retrieval -> evidence -> answer with citations."""
