"""The only code that writes files: deterministic zips, staging and atomic publishing."""
