"""One module per group of resource types; each lists its `TYPES`."""
