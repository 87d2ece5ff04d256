"""Extract: vendor APIs to landing files, one page per file, exactly as served.

- `sources`: who each vendor is to us (credential and scope variables, base URL);
- `endpoints`: one entry per API endpoint, naming the landing folder it fills;
- `pages` writes a page atomically; `state` keeps each stream's cursor in the warehouse;
- `http` builds dlt's RESTClient (paginators, retries) and turns HTTP errors into clear ones;
- `runner` runs an endpoint's streams (resume, restart on an expired cursor, write then move);
- one module per vendor plans its streams.

The Dagster assets (`orchestration/defs/extract.py`) and `tokenworth extract` both call
`runner.run_endpoint`, so there is one extraction code path.
"""
