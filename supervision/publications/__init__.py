"""Publications (SPEC §8, §10): quarterly figures frozen into immutable, versioned files."""
