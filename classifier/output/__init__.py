"""What users see: labelled-sentence records and writers, terminal views, the HTML report."""
