"""Where the app keeps what is not a domain row: uploaded files (files) and the cache's encoding (cache).

Both exist so that web and worker processes keep nothing on local disk and unpickle nothing they read.
"""
