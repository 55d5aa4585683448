"""The keyword rules: loading rule files, the pattern language, matching, self-checks and statistics."""
