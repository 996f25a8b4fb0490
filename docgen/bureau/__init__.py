"""The education bureau's side of a call: collect returned workbooks, score, publish results."""
