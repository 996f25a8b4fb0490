"""PDF stage: LibreOffice conversion, fonts; merging and seals build on it."""
