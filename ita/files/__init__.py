"""Files users upload and download: what a file really is (sniff, pure) and how it is sent back (responses)."""
