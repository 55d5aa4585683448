"""Text handling before any rule or model: decoding input, streaming large files, sentence splitting, place masking."""
