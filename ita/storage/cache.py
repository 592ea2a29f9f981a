"""The Redis cache's encoding: JSON, never pickle.

Django's RedisCache pickles what it stores and unpickles what it reads, so anyone who can write to
Redis could run code in every web and worker process. With this serializer a value read back is
plain data at worst. Callers store only JSON values (numbers, strings, lists, dicts, None, bools);
a tuple comes back as a list, and anything else (a Decimal, a dataclass) fails loudly when stored.
"""

from __future__ import annotations

import json
from typing import Any


class JSONSerializer:
    """RedisCache's `serializer` option (settings.CACHES): JSON both ways, integers as Redis integers."""

    def dumps(self, value: Any) -> int | bytes:
        # Like Django's own serializer, a plain int is stored as a Redis integer so that incr() is atomic;
        # bool is a subclass of int and is left to JSON.
        if type(value) is int:
            return value
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()

    def loads(self, data: bytes | int) -> Any:
        if isinstance(data, int):
            return data
        try:
            return int(data)
        except ValueError:
            return json.loads(data)
