"""Loaders: read data files into plain Python values, keeping where each value came from."""
